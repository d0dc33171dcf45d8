import type { EntityManager } from '@mikro-orm/knex';
import { InvalidInputError, type FieldProblem } from '../../errors';
import { normaliseTerm } from './lexicon';
import { SynonymGroup } from './synonym-group.entity';

/** The terms normalised as searches match them, each checked: not empty once common words are dropped, not in another group. */
export async function readTerms(em: EntityManager, terms: string[], exceptId?: number): Promise<string> {
  const problems: FieldProblem[] = [];
  const normalised = terms.map((term, i) => {
    const value = normaliseTerm(term);
    if (!value) problems.push({ field: `input.terms[${i}]`, message: `${JSON.stringify(term)} has no word a search would use (only common words or punctuation).` });
    return value;
  });
  const taken = new Map<string, number>();
  for (const group of await em.find(SynonymGroup, {})) if (group.id !== exceptId) for (const term of group.termList) taken.set(normaliseTerm(term), group.id);
  normalised.forEach((value, i) => {
    if (value && taken.has(value)) problems.push({ field: `input.terms[${i}]`, message: `"${value}" is already in another synonym group; a term can be in one group only.` });
  });
  if (problems.length > 0) throw new InvalidInputError(problems);
  return [...new Set(normalised)].join('\n');
}
