import { Kind, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * How big a document really is once its fragments are spread: `fields` is
 * every field selection after expansion (`...F` counts F's fields again at
 * each spread), `widestSelection` the most fields any one selection set holds
 * after its fragments are merged into it.
 *
 * Both are computed in time linear in the document: each fragment is
 * measured once and its figures reused at every spread, so a fragment bomb
 * (F0 spreading F1 sixteen times, F1 spreading F2 sixteen times, ...) costs
 * one pass, however many fields it would expand to. A fragment that spreads
 * itself counts as empty here; validation refuses it afterwards.
 */
export interface DocumentShape {
  fields: number;
  widestSelection: number;
}

export function measureDocument(document: DocumentNode): DocumentShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const measured = new Map<string, Measure>();
  const inProgress = new Set<string>();
  let widestSelection = 0;

  interface Measure {
    /** Fields at this selection set's own level, its fragments merged in. */
    width: number;
    /** Fields at every level below and at this one. */
    fields: number;
  }

  const fragmentMeasure = (name: string): Measure => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return { width: 0, fields: 0 };
    inProgress.add(name);
    const measure = visit(fragment.selectionSet, false);
    inProgress.delete(name);
    measured.set(name, measure);
    return measure;
  };

  /** `own`: a selection set of its own (a field's or the operation's), not one merged into its parent's. */
  const visit = (selectionSet: SelectionSetNode, own: boolean): Measure => {
    let width = 0;
    let fields = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        width += 1;
        fields += 1 + (selection.selectionSet ? visit(selection.selectionSet, true).fields : 0);
      } else {
        const inner = selection.kind === Kind.FRAGMENT_SPREAD ? fragmentMeasure(selection.name.value) : visit(selection.selectionSet, false);
        width += inner.width;
        fields += inner.fields;
      }
    }
    if (own) widestSelection = Math.max(widestSelection, width);
    return { width, fields };
  };

  let fields = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) fields += visit(definition.selectionSet, true).fields;
  }
  // Fragments no operation spreads are measured too: their selection sets are validated all the same.
  for (const name of fragments.keys()) {
    const { width } = fragmentMeasure(name);
    widestSelection = Math.max(widestSelection, width);
  }
  return { fields, widestSelection };
}

/**
 * An upper bound on the field comparisons graphql-js's
 * OverlappingFieldsCanBeMerged rule makes for a document, counted only up to
 * `budget` (the count stops there, so this costs at most `budget` steps).
 *
 * That rule compares every two fields of a selection set that share a
 * response name, and for two that have sub-selections, every two fields of
 * those sharing a name, and so on down: `a { b b } a { b b }` repeated
 * makes the work multiply level by level, so 20 copies of
 * `provider { name x95 }` (2,000 fields, 10 kB) take half a second. The same
 * count is made here on the document as written (fragments merged into the
 * selection sets they are spread in, each once per set, as graphql-js does),
 * without graphql-js's cache of fragment pairs, so it never undercounts.
 */
export function overlapChecks(document: DocumentNode, budget: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const groups = new Map<SelectionSetNode, Map<string, FieldNode[]>>();
  const groupOf = (selectionSet: SelectionSetNode): Map<string, FieldNode[]> => {
    let group = groups.get(selectionSet);
    if (group) return group;
    group = new Map();
    const collect = (set: SelectionSetNode, into: Map<string, FieldNode[]>, spread: Set<string>) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const fields = into.get(key);
          if (fields) fields.push(selection);
          else into.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet, into, spread);
        else if (!spread.has(selection.name.value)) {
          spread.add(selection.name.value);
          const fragment = fragments.get(selection.name.value);
          if (fragment) collect(fragment.selectionSet, into, spread);
        }
      }
    };
    collect(selectionSet, group, new Set());
    groups.set(selectionSet, group);
    return group;
  };

  let checks = 0;
  const spend = (n: number) => {
    checks += n;
    if (checks > budget) throw OVER_BUDGET;
  };
  const compare = (a: FieldNode, b: FieldNode) => {
    spend(1);
    if (a.selectionSet && b.selectionSet) across(a.selectionSet, b.selectionSet);
  };
  const across = (a: SelectionSetNode, b: SelectionSetNode) => {
    const groupA = groupOf(a);
    const groupB = groupOf(b);
    spend(groupA.size);
    for (const [key, fieldsA] of groupA) {
      const fieldsB = groupB.get(key);
      if (fieldsB) for (const x of fieldsA) for (const y of fieldsB) compare(x, y);
    }
  };
  const within = (selectionSet: SelectionSetNode) => {
    const group = groupOf(selectionSet);
    spend(group.size);
    for (const fields of group.values()) for (let i = 0; i < fields.length; i++) for (let j = i + 1; j < fields.length; j++) compare(fields[i], fields[j]);
  };
  try {
    visit(document, { SelectionSet: (node) => void within(node) });
  } catch (error) {
    if (error !== OVER_BUDGET) throw error;
  }
  return checks;
}

const OVER_BUDGET = new Error('over budget');
