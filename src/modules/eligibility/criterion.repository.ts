import type { Connection, PageArgs } from '../common/connection';
import { codeLoader, entityLoader, existingIds, offsetPage, paginate, uuidLoader, type Reader } from '../common/loaders';
import { CRITERION_ORDER, EligibilityCriterion, type CriterionKind } from './criterion.entity';

/** Eligibility criteria are public: every read of them. Services with a criterion are read through the service repository. */
export class CriterionRepository {
  readonly byId;
  readonly byUuid;
  /** By stable code ("lonely-or-isolated"): lookups and filters by code. */
  readonly byCode;

  constructor(private readonly reader: Reader) {
    this.byId = entityLoader(reader, EligibilityCriterion);
    this.byUuid = uuidLoader(reader, EligibilityCriterion);
    this.byCode = codeLoader(reader, EligibilityCriterion);
  }

  /** The criteria (of these kinds, if given), by label. */
  list(criteria: { kinds?: CriterionKind[] }, page: PageArgs): Promise<Connection<EligibilityCriterion>> {
    const query = this.reader.em.getKnex().from('eligibility_criterion as c').select('c.*');
    if (criteria.kinds) query.whereIn('c.kind', criteria.kinds);
    return paginate(this.reader, { entity: EligibilityCriterion, query, order: CRITERION_ORDER, scope: ['eligibilityCriteria', criteria] }, page);
  }

  /** The criteria by page number (the ORUK feed's taxonomy_terms), by label. */
  page(offset: number, limit: number): Promise<{ items: EligibilityCriterion[]; total: number }> {
    return offsetPage(this.reader, EligibilityCriterion, this.reader.em.getKnex().from('eligibility_criterion as c').select('c.*'), CRITERION_ORDER, offset, limit);
  }

  /** Which of these ids are eligibility criteria. */
  existing(ids: readonly number[]): Promise<Set<number>> {
    return existingIds(this.reader, 'eligibility_criterion', ids);
  }
}
