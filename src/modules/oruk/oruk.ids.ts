import { v5 as uuidV5 } from 'uuid';
import { CriterionKind } from '../eligibility/criterion.entity';
import { HubKind } from '../hub/hub.enums';
import { DeliveryMode, ReferralRoute } from '../service/service.enums';

/**
 * Ids in the Open Referral UK feed. Every record has a stored UUID (its
 * `uuid` column, also in GraphQL); the parts of a record that have no row of
 * their own (a hub's address, a service's languages and cost option) get a
 * UUID derived from the record's and the part's name, so they too are the
 * same on every request and after every restart. The taxonomies have fixed
 * UUIDs derived from this namespace (a random UUID, fixed here).
 */
const NAMESPACE = 'b6f0d7a2-3c1e-4e58-9a4f-7d2c81e5f903';

/**
 * Derived ids are remembered: a page of 100 services derives about 2,000 of
 * them, and each costs a SHA-1 (3.5 µs measured), a quarter of the page's
 * CPU. The memo is bounded: past this many entries it starts again.
 */
const MAX_REMEMBERED = 200_000;
/** By owner, then part: no key string joined (and hashed) on every lookup. */
const remembered = new Map<string, Map<string, string>>();
let rememberedCount = 0;

/** The stable UUID of a part of the record `ownerUuid`, e.g. partId(hub.uuid, 'address'). */
export function partId(ownerUuid: string, part: string): string {
  let parts = remembered.get(ownerUuid);
  let id = parts?.get(part);
  if (id === undefined) {
    if (rememberedCount >= MAX_REMEMBERED) {
      remembered.clear();
      rememberedCount = 0;
      parts = undefined;
    }
    if (!parts) remembered.set(ownerUuid, (parts = new Map()));
    id = uuidV5(part, ownerUuid);
    parts.set(part, id);
    rememberedCount += 1;
  }
  return id;
}

export interface TaxonomyInfo {
  key: 'categories' | 'criteria' | 'referralRoutes' | 'deliveryModes' | 'locationKinds';
  id: string;
  name: string;
  description: string;
}

const taxonomy = (key: TaxonomyInfo['key'], name: string, description: string): TaxonomyInfo => ({ key, id: uuidV5(`taxonomy:${key}`, NAMESPACE), name, description });

/** The directory's own taxonomies, in the order /taxonomies lists them. */
export const TAXONOMIES: TaxonomyInfo[] = [
  taxonomy('categories', 'Social prescribing directory categories', 'What a service offers: the directory\'s hierarchical taxonomy (e.g. Nature and outdoors > Gardening).'),
  taxonomy('criteria', 'Social prescribing directory eligibility criteria', 'Who a service is for: a person meets a service\'s criteria when, for every kind of criterion it lists, they meet at least one of that kind.'),
  taxonomy('referralRoutes', 'Social prescribing referral routes', 'Who can refer someone to a service.'),
  taxonomy('deliveryModes', 'Social prescribing delivery modes', 'How a service is delivered.'),
  taxonomy('locationKinds', 'Social prescribing hub kinds', 'What kind of place a hub (location) is.'),
];

export const TAXONOMY = Object.fromEntries(TAXONOMIES.map((t) => [t.key, t])) as Record<TaxonomyInfo['key'], TaxonomyInfo>;

/**
 * A term of a taxonomy that is an enum here: referral routes, delivery modes,
 * hub kinds, and the kinds of eligibility criterion (the criteria taxonomy's
 * top level: each criterion's parent is its kind). Fixed UUID, name and code.
 */
export interface EnumTerm {
  taxonomy: TaxonomyInfo;
  id: string;
  code: string;
  name: string;
}

const words = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');

export const ENUM_TERMS: EnumTerm[] = [
  ...Object.values(ReferralRoute).map((code) => ({ taxonomy: TAXONOMY.referralRoutes, id: uuidV5(`referralRoutes:${code}`, NAMESPACE), code, name: code === 'GP' ? 'GP' : words(code) })),
  ...Object.values(DeliveryMode).map((code) => ({ taxonomy: TAXONOMY.deliveryModes, id: uuidV5(`deliveryModes:${code}`, NAMESPACE), code, name: words(code) })),
  ...Object.values(CriterionKind).map((code) => ({ taxonomy: TAXONOMY.criteria, id: uuidV5(`criterionKinds:${code}`, NAMESPACE), code, name: words(code) })),
  ...Object.values(HubKind).map((code) => ({ taxonomy: TAXONOMY.locationKinds, id: uuidV5(`locationKinds:${code}`, NAMESPACE), code, name: code === 'GP_SURGERY' ? 'GP surgery' : words(code) })),
];

export const ENUM_TERM_BY_ID = new Map(ENUM_TERMS.map((term) => [term.id, term]));
const ENUM_TERM_BY_CODE = new Map(TAXONOMIES.map((t) => [t.key, new Map(ENUM_TERMS.filter((term) => term.taxonomy === t).map((term) => [term.code, term]))]));

export const enumTermOf = (taxonomy: 'referralRoutes' | 'deliveryModes' | 'criteria' | 'locationKinds', code: string): EnumTerm => ENUM_TERM_BY_CODE.get(taxonomy)!.get(code)!;
