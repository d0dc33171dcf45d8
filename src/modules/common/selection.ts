import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the query asks, directly under the field being resolved, for any
 * of `names` (through fragments too). A field skipped with `@skip`/`@include`
 * still counts: the answer only decides what to fetch ahead, never what is
 * returned.
 */
export function selectsAnyOf(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    set !== undefined &&
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return names.includes(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/**
 * The fields the query asks of each node of the connection being resolved,
 * under `nodes { ... }` and `edges { node { ... } }` (through fragments too),
 * each with every place it is asked, to decide what to fetch with the nodes.
 */
export function nodeFieldsOf(info: GraphQLResolveInfo): Map<string, FieldNode[]> {
  return fieldsAt(info, [['nodes'], ['edges', 'node']]);
}

/** The fields the query asks directly of the object being resolved (through fragments too). */
export function objectFieldsOf(info: GraphQLResolveInfo): Map<string, FieldNode[]> {
  return fieldsAt(info, [[]]);
}

function fieldsAt(info: GraphQLResolveInfo, paths: ReadonlyArray<readonly string[]>): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const walk = (set: SelectionSetNode | undefined, path: readonly string[]): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, path);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) walk(info.fragments[selection.name.value]?.selectionSet, path);
      else if (path.length === 0) fields.set(selection.name.value, [...(fields.get(selection.name.value) ?? []), selection]);
      else if (selection.name.value === path[0]) walk(selection.selectionSet, path.slice(1));
    }
  };
  for (const node of info.fieldNodes) for (const path of paths) walk(node.selectionSet, path);
  return fields;
}
