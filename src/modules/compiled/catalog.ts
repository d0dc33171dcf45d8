import type { NodeTypeName } from '../common/global-id';
import { currentSessionEnd, isOpenAt, nextOpening, type OpeningRule } from '../service/opening-hours';

/**
 * What each field of the directory's plain data is in SQL, for the reads
 * compiled to one statement (compiler.ts). A field not listed here (a
 * capacity worked out against the request's time, a nested list of
 * services with its own visibility rule, facets, distances) is not
 * compiled: a query that asks for one is executed field by field as usual.
 *
 * Every SQL fragment is a function of table aliases the compiler chooses;
 * how a value is written (booleans, enums, sets, dates, ids) follows from
 * the field's GraphQL type, per database (dialect.ts).
 */
export type FieldSpec =
  /** A value of the row as `a` (a column, or an expression of columns): how it is written follows from its GraphQL type. */
  | { kind: 'value'; sql: (a: string) => string }
  /** A JSON value the SQL builds itself (a list of address lines), per database. */
  | { kind: 'json'; sql: (a: string, postgres: boolean) => string }
  /** The record's global id (global-id.ts). */
  | { kind: 'id'; type: NodeTypeName }
  /** An object made of the same row's columns (cost, contact, an address). */
  | { kind: 'object'; fields: Record<string, FieldSpec> }
  /** The one related row of `type` (null when there is none). */
  | { kind: 'one'; type: string; where: (child: string, parent: string) => string }
  /** Every related row of `type`, in `order`. */
  | { kind: 'list'; type: string; from: (child: string, parent: string) => string; order: (child: string) => string }
  /** A page of related rows (a nested connection: first without after); cursors are signed under `scope`. */
  | { kind: 'connection'; type: string; scope: string; from: (child: string, parent: string) => string; order: Array<{ sql: (child: string) => string; key: string }> }
  /** A value worked out in JavaScript from JSON the SQL gives (`input`), with the request's time. */
  | { kind: 'computed'; input: (a: string, postgres: boolean) => string; compute: (input: unknown, now: Date) => unknown };

export interface TypeSpec {
  table: string;
  fields: Record<string, FieldSpec>;
}

const value = (column: string): FieldSpec => ({ kind: 'value', sql: (a) => `${a}.${column}` });

/** The columns every record has (base.entity.ts). */
function record(type: NodeTypeName): Record<string, FieldSpec> {
  return { id: { kind: 'id', type }, uuid: value('uuid'), importedFrom: value('source'), createdAt: value('created_at'), updatedAt: value('updated_at') };
}

/** A location's opening rules as opening-hours.ts reads them (days as HSDS codes), for openNow, openUntil and nextOpen. */
function openingRules(a: string, postgres: boolean): string {
  const from = `schedule r where r.service_location_id = ${a}.id`;
  return postgres
    ? `(select coalesce(json_agg(json_build_object('days', r.days, 'opensAt', r.opens_at, 'closesAt', r.closes_at, 'validFrom', r.valid_from, 'validTo', r.valid_to) order by r.id), '[]'::json) from ${from})`
    : `(select json_group_array(json_object('days', r.days, 'opensAt', r.opens_at, 'closesAt', r.closes_at, 'validFrom', r.valid_from, 'validTo', r.valid_to)) from (select r.* from ${from} order by r.id) r)`;
}

function fromRules(compute: (rules: OpeningRule[], now: Date) => Date | boolean | null): FieldSpec {
  return {
    kind: 'computed',
    input: openingRules,
    compute: (input, now) => {
      const rules = (input as Array<OpeningRule & { days: string | string[] }>).map((rule) => ({ ...rule, days: String(rule.days).split(',').filter(Boolean) }));
      const result = compute(rules, now);
      return result instanceof Date ? result.toISOString() : result;
    },
  };
}

/** A service's terms through their link table (criterion.entity.ts, category.entity.ts: by `orderBy`, then id), a page at a time. */
function termsOfService(type: string, field: string, table: string, link: string, column: string, orderBy: string): FieldSpec {
  return {
    kind: 'connection',
    type,
    scope: `Service.${field}`,
    from: (c, p) => `${table} ${c} join ${link} ${c}_l on ${c}_l.${column} = ${c}.id where ${c}_l.service_id = ${p}.id`,
    order: [
      { sql: (c) => `${c}.${orderBy}`, key: orderBy },
      { sql: (c) => `${c}.id`, key: 'id' },
    ],
  };
}

export const CATALOG: Record<string, TypeSpec> = {
  Service: {
    table: 'service',
    fields: {
      ...record('Service'),
      version: value('version'),
      isDraft: value('draft'),
      archivedAt: value('archived_at'),
      name: value('name'),
      description: value('description'),
      status: value('status'),
      minimumAge: value('min_age'),
      maximumAge: value('max_age'),
      referralRoutes: value('referral_routes'),
      deliveryModes: value('delivery_modes'),
      languages: value('languages'),
      nationalScope: value('national_scope'),
      cost: { kind: 'object', fields: { free: value('cost_free'), description: value('cost_description') } },
      contact: { kind: 'object', fields: { phone: value('contact_phone'), email: value('contact_email'), url: value('contact_url') } },
      howToRefer: {
        kind: 'object',
        fields: {
          routes: value('referral_routes'),
          formUrl: value('referral_form_url'),
          email: value('referral_email'),
          phone: value('referral_phone'),
          instructions: value('referral_instructions'),
          signpostingOnly: value('signposting_only'),
        },
      },
      provider: { kind: 'one', type: 'Provider', where: (c, p) => `${c}.id = ${p}.provider_id` },
      locations: { kind: 'connection', type: 'ServiceLocation', scope: 'Service.locations', from: (c, p) => `service_location ${c} where ${c}.service_id = ${p}.id`, order: [{ sql: (c) => `${c}.id`, key: 'id' }] },
      eligibility: termsOfService('EligibilityCriterion', 'eligibility', 'eligibility_criterion', 'service_criterion', 'criterion_id', 'label'),
      categories: termsOfService('Category', 'categories', 'category', 'service_category', 'category_id', 'name'),
    },
  },
  Provider: {
    table: 'provider',
    fields: {
      ...record('Provider'),
      version: value('version'),
      name: value('name'),
      description: value('description'),
      charityNumber: value('charity_number'),
      website: value('website'),
      email: value('email'),
      phone: value('phone'),
      logoUrl: value('logo_url'),
    },
  },
  ServiceLocation: {
    table: 'service_location',
    fields: {
      ...record('ServiceLocation'),
      description: value('description'),
      hub: { kind: 'one', type: 'Hub', where: (c, p) => `${c}.id = ${p}.hub_id` },
      schedules: { kind: 'list', type: 'Schedule', from: (c, p) => `schedule ${c} where ${c}.service_location_id = ${p}.id`, order: (c) => `${c}.id` },
      openNow: fromRules(isOpenAt),
      openUntil: fromRules(currentSessionEnd),
      nextOpen: fromRules((rules, now) => nextOpening(rules, now)),
    },
  },
  Schedule: {
    table: 'schedule',
    fields: {
      ...record('Schedule'),
      days: value('days'),
      opensAt: value('opens_at'),
      closesAt: value('closes_at'),
      validFrom: value('valid_from'),
      validTo: value('valid_to'),
      notes: value('notes'),
      runsPastMidnight: { kind: 'value', sql: (a) => `(${a}.closes_at < ${a}.opens_at)` },
    },
  },
  Hub: {
    table: 'hub',
    fields: {
      ...record('Hub'),
      version: value('version'),
      name: value('name'),
      kind: value('kind'),
      description: value('description'),
      latitude: value('latitude'),
      longitude: value('longitude'),
      accessibility: value('accessibility'),
      accessibilityFeatures: value('accessibility_features'),
      operator: value('operator'),
      address: {
        kind: 'object',
        fields: {
          // The lines that are not empty, as hub.entity.ts gives them.
          lines: {
            kind: 'json',
            sql: (a, postgres) => {
              const array = postgres ? 'json_build_array' : 'json_array';
              const [one, two] = [`coalesce(${a}.address1, '') <> ''`, `coalesce(${a}.address2, '') <> ''`];
              return `(case when ${one} and ${two} then ${array}(${a}.address1, ${a}.address2) when ${one} then ${array}(${a}.address1) when ${two} then ${array}(${a}.address2) else ${array}() end)`;
            },
          },
          town: value('town'),
          postcode: value('postcode'),
          region: value('region'),
        },
      },
    },
  },
  EligibilityCriterion: {
    table: 'eligibility_criterion',
    fields: { ...record('EligibilityCriterion'), code: value('code'), label: value('label'), kind: value('kind'), description: value('description') },
  },
  Category: {
    table: 'category',
    fields: {
      ...record('Category'),
      code: value('code'),
      name: value('name'),
      description: value('description'),
      parent: { kind: 'one', type: 'Category', where: (c, p) => `${c}.id = ${p}.parent_id` },
    },
  },
};
