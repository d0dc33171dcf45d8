import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

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
