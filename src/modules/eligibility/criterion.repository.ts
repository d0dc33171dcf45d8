import type { Connection, PageArgs } from '../common/connection';
import { entityLoader, existingIds, paginate, type Reader } from '../common/loaders';
import { CRITERION_ORDER, EligibilityCriterion, type CriterionKind } from './criterion.entity';

/** Eligibility criteria are public: every read of them. Services with a criterion are read through the service repository. */
export class CriterionRepository {
  readonly byId;

  constructor(private readonly reader: Reader) {
    this.byId = entityLoader(reader, EligibilityCriterion);
  }

  /** The criteria (of these kinds, if given), by label. */
  list(criteria: { kinds?: CriterionKind[] }, page: PageArgs): Promise<Connection<EligibilityCriterion>> {
    const query = this.reader.em.getKnex().from('eligibility_criterion as c').select('c.*');
    if (criteria.kinds) query.whereIn('c.kind', criteria.kinds);
    return paginate(this.reader, { entity: EligibilityCriterion, query, order: CRITERION_ORDER, scope: ['eligibilityCriteria', criteria] }, page);
  }

  /** Which of these ids are eligibility criteria. */
  existing(ids: readonly number[]): Promise<Set<number>> {
    return existingIds(this.reader, 'eligibility_criterion', ids);
  }
}
