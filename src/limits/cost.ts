import {
  getNamedType,
  getNullableType,
  isListType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLCompositeType,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../modules/common/pagination';

/** Assumed length of a list that is not paged (a location's schedules, facet lists): they are short. */
const PLAIN_LIST_SIZE = 10;

/**
 * A query's cost is the number of objects it may return, GitHub's "node
 * limit" way: a connection asked for with `first: 100` under another with
 * `first: 50` may return 50 x 100 objects, so costs multiply down the tree.
 * Scalars are free; every object (and every page of a connection) costs 1.
 * `nodes(ids:)` costs one per id. It is computed from the document and the
 * variables before anything runs, so a query asking for millions of objects
 * is refused without touching the database.
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

  const argument = (field: GraphQLField<unknown, unknown>, node: { arguments?: readonly { name: { value: string }; value: never }[] }, name: string): unknown => {
    const definition = field.args.find((arg) => arg.name === name);
    const given = node.arguments?.find((arg) => arg.name.value === name);
    if (!definition) return undefined;
    return given ? valueFromAST(given.value, definition.type, variables) : definition.defaultValue;
  };

  /** How many times a field's selection may repeat. */
  const multiplierOf = (field: GraphQLField<unknown, unknown>, node: never, parent: GraphQLCompositeType): number => {
    if (getNamedType(field.type).name.endsWith('Connection')) {
      const first = argument(field, node, 'first');
      return typeof first === 'number' && first >= 0 ? first : DEFAULT_PAGE_SIZE;
    }
    if (!isListType(getNullableType(field.type))) return 1;
    const ids = argument(field, node, 'ids');
    if (Array.isArray(ids)) return ids.length;
    // edges and nodes of a connection: the page size is already counted on the connection.
    if (parent.name.endsWith('Connection')) return 1;
    return PLAIN_LIST_SIZE;
  };

  const visit = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, depth: number): number => {
    if (depth > 50) return Infinity; // fragments spread into themselves; validation refuses these anyway
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) total += visit(fragment.selectionSet, (schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType) ?? parent, depth + 1);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
        total += visit(selection.selectionSet, type ?? parent, depth + 1);
        continue;
      }
      const fieldDef = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
      if (!fieldDef || !selection.selectionSet) continue;
      const named = getNamedType(fieldDef.type) as GraphQLCompositeType;
      const inner = visit(selection.selectionSet, named, depth + 1);
      total += 1 + multiplierOf(fieldDef, selection as never, parent) * inner;
    }
    return total;
  };
  return visit(operation.selectionSet, root, 0);
}
