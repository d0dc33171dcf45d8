/**
 * The tables the Uuids and ImportSource migrations gave a `uuid` and a `source` column: every BaseEntity's
 * table at the time (audit entries are not one). Fixed, as those migrations are: later tables are created with both.
 */
export const UUID_TABLES = ['provider', 'hub', 'category', 'eligibility_criterion', 'service', 'service_location', 'schedule', 'account', 'api_key'];
