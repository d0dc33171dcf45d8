import {
  getNamedType,
  getNullableType,
  isListType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLCompositeType,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../modules/common/pagination';

/** Assumed length of a list that is not paged (a location's schedules, a hub's opening rules): they are short. */
const PLAIN_LIST_SIZE = 10;
/** Assumed length of a facet list: one entry per category or criterion that matches, so as long as the taxonomy. */
const FACET_LIST_SIZE = 100;

/**
 * A query's cost is the number of objects it may return, GitHub's "node
 * limit" way: a connection asked for with `first: 100` under another with
 * `first: 50` may return 50 x 100 objects, so costs multiply down the tree.
 * Scalars are free; every object (and every connection) costs 1.
 *
 * Nothing can make a part of a query free:
 * - a connection's page size multiplies only its `edges` and `nodes`; its
 *   `facets`, `totalCount` and `pageInfo` are there once, whatever the page;
 * - a page of `first: 0` is costed as a page of one, so lists nested under it
 *   still count;
 * - `nodes(ids:)` costs one per id.
 *
 * It is computed from the document and the variables before anything runs,
 * in time linear in the document: each fragment's cost is computed once per
 * page size it is spread under and reused at every other spread.
 *
 * Why not graphql-query-complexity (its getComplexity with a custom estimator,
 * type-graphql's usual pattern): it was measured against this walker and kept
 * out. An estimator only sees the sum of a field's children, so multiplying a
 * connection's edges/nodes but not its facets means re-reading the selection
 * set here anyway. It also walks a fragment again at every spread, with no
 * memo, so the 1 kB 24-spreads-by-6-levels bomb takes minutes (24^5 already
 * takes 8 to 19 s), or it throws at its default 10,000-node cap instead of
 * costing. And it was 6 to 11 times slower on the deep slice and the
 * link-worker search (38-67 vs 6 µs, 67-71 vs 9 µs). It also gives different
 * numbers: it takes the maximum over an interface's types where this walker
 * adds them up, and it makes @skip/@include parts free. On an invalid variable
 * it throws where this walker costs the default.
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> = {}): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const operation = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;

  const argument = (field: GraphQLField<unknown, unknown>, node: FieldNode, name: string): unknown => {
    const definition = field.args.find((arg) => arg.name === name);
    const given = node.arguments?.find((arg) => arg.name.value === name);
    if (!definition) return undefined;
    return given ? valueFromAST(given.value, definition.type, variables) : definition.defaultValue;
  };

  const pageSizeOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    const first = argument(field, node, 'first');
    return typeof first === 'number' && Number.isFinite(first) ? Math.max(1, first) : DEFAULT_PAGE_SIZE;
  };

  /** How many times a list field's selection may repeat; `page` is the page size of the connection it belongs to. */
  const repeatsOf = (field: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLCompositeType, page: number): number => {
    if (!isListType(getNullableType(field.type))) return 1;
    const ids = argument(field, node, 'ids');
    if (Array.isArray(ids)) return ids.length;
    if (parent.name.endsWith('Connection')) return page; // edges and nodes
    return parent.name.endsWith('Facets') ? FACET_LIST_SIZE : PLAIN_LIST_SIZE;
  };

  const fragmentCosts = new Map<string, number>();
  const fragmentCost = (name: string, parent: GraphQLCompositeType, page: number): number => {
    const key = `${name}|${page}`;
    const known = fragmentCosts.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment) return 0;
    fragmentCosts.set(key, Infinity); // a fragment spread inside itself; validation refuses these anyway
    const type = (schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined) ?? parent;
    const cost = visit(fragment.selectionSet, type, page);
    fragmentCosts.set(key, cost);
    return cost;
  };

  const visit = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, page: number): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        total += fragmentCost(selection.name.value, parent, page);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
        total += visit(selection.selectionSet, type ?? parent, page);
        continue;
      }
      const fieldDef = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
      if (!fieldDef || !selection.selectionSet) continue;
      const named = getNamedType(fieldDef.type) as GraphQLCompositeType;
      const innerPage = named.name.endsWith('Connection') ? pageSizeOf(fieldDef, selection) : DEFAULT_PAGE_SIZE;
      const inner = visit(selection.selectionSet, named, innerPage);
      total += repeatsOf(fieldDef, selection, parent, page) * (1 + inner);
    }
    return total;
  };
  return visit(operation.selectionSet, root, DEFAULT_PAGE_SIZE);
}
