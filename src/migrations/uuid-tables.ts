/** The tables whose rows carry a stable UUID: every BaseEntity's (audit entries are not one). */
export const UUID_TABLES = ['provider', 'hub', 'category', 'eligibility_criterion', 'service', 'service_location', 'schedule', 'account', 'api_key'];
