import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { DELIVERY_LABELS, ROUTE_LABELS } from '../shared/format';
import { fieldMessage, type FieldProblem } from './errors';
import type { PartnerService } from './queries';

/**
 * The form over a service's main editable fields (those of UpdateServiceInput
 * a charity changes most: words, contact, how to refer, cost, ages). Each
 * value is keyed by its path in the mutation's input, so an error the server
 * reports at `input.contact.email` lands on the `contact.email` field.
 * Locations, categories, criteria, areas and languages are left as they are.
 */
export interface FormValues {
  name: string;
  description: string;
  'contact.phone': string;
  'contact.email': string;
  'contact.url': string;
  'howToRefer.signpostingOnly': boolean;
  referralRoutes: string[];
  'howToRefer.formUrl': string;
  'howToRefer.email': string;
  'howToRefer.phone': string;
  'howToRefer.instructions': string;
  deliveryModes: string[];
  'cost.free': boolean;
  'cost.description': string;
  minimumAge: string;
  maximumAge: string;
}

type Path = keyof FormValues;
type TextPath = { [K in Path]: FormValues[K] extends string ? K : never }[Path];

/** Each field's label: at the field, in the error summary, and in messages ("Email must be an email address."). */
export const FIELD_LABELS: Record<Path, string> = {
  name: 'Name',
  description: 'Description',
  'contact.phone': 'Phone',
  'contact.email': 'Email',
  'contact.url': 'Website',
  'howToRefer.signpostingOnly': 'Takes no referrals',
  referralRoutes: 'Who can refer',
  'howToRefer.formUrl': 'Referral form address',
  'howToRefer.email': 'Referral email',
  'howToRefer.phone': 'Referral phone',
  'howToRefer.instructions': 'What to include in a referral',
  deliveryModes: 'How it is offered',
  'cost.free': 'Free',
  'cost.description': 'Cost details',
  minimumAge: 'Youngest age',
  maximumAge: 'Oldest age',
};

/** Who may refer, as a charity would tick it. */
const ROUTE_CHOICES: Record<string, string> = { ...ROUTE_LABELS, SELF_REFERRAL: 'the person themselves (self-referral)' };
const ROUTES = ['SELF_REFERRAL', 'GP', 'LINK_WORKER', 'PHARMACY', 'HOSPITAL_DISCHARGE', 'OTHER_PROFESSIONAL'];
const MODES = ['IN_PERSON', 'ONLINE', 'PHONE'];

/** The element each field's error links to: for a group of checkboxes, its first box. */
export const fieldId = (path: string): string => `edit-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`;
const firstBoxId = (path: string): string => `${fieldId(path)}-0`;
const targetId = (path: Path): string => (path === 'referralRoutes' || path === 'deliveryModes' ? firstBoxId(path) : fieldId(path));

export function valuesOf(service: PartnerService): FormValues {
  return {
    name: service.name,
    description: service.description,
    'contact.phone': service.contact.phone ?? '',
    'contact.email': service.contact.email ?? '',
    'contact.url': service.contact.url ?? '',
    'howToRefer.signpostingOnly': service.howToRefer.signpostingOnly,
    referralRoutes: [...service.referralRoutes],
    'howToRefer.formUrl': service.howToRefer.formUrl ?? '',
    'howToRefer.email': service.howToRefer.email ?? '',
    'howToRefer.phone': service.howToRefer.phone ?? '',
    'howToRefer.instructions': service.howToRefer.instructions ?? '',
    deliveryModes: [...service.deliveryModes],
    'cost.free': service.cost.free,
    'cost.description': service.cost.description ?? '',
    minimumAge: service.minimumAge === null ? '' : String(service.minimumAge),
    maximumAge: service.maximumAge === null ? '' : String(service.maximumAge),
  };
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());
const same = (a: unknown, b: unknown): boolean => JSON.stringify(Array.isArray(a) ? [...a].sort() : a) === JSON.stringify(Array.isArray(b) ? [...b].sort() : b);

/** Whole years, or nothing. */
function readAge(text: string): { value: number | null } | { problem: string } {
  if (text.trim() === '') return { value: null };
  if (!/^\d{1,3}$/.test(text.trim())) return { problem: 'must be a whole number of years, like 18, or empty.' };
  return { value: Number(text.trim()) };
}

/**
 * What changed, as the fields of UpdateServiceInput (without id and version): a group (contact, how to
 * refer, cost) is sent whole when any of its fields changed, as the API replaces it whole. Problems the
 * browser can see at once (an age that is not a number) are found here; the rest is the server's to say.
 */
export function changesOf(values: FormValues, original: FormValues): { input: Record<string, unknown>; problems: FieldProblem[] } {
  const input: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  const changed = (...paths: Path[]) => paths.some((path) => !same(values[path], original[path]));
  if (changed('name')) input.name = values.name.trim();
  if (changed('description')) input.description = values.description.trim();
  if (changed('contact.phone', 'contact.email', 'contact.url')) {
    input.contact = { phone: orNull(values['contact.phone']), email: orNull(values['contact.email']), url: orNull(values['contact.url']) };
  }
  if (changed('howToRefer.signpostingOnly', 'howToRefer.formUrl', 'howToRefer.email', 'howToRefer.phone', 'howToRefer.instructions')) {
    input.howToRefer = {
      signpostingOnly: values['howToRefer.signpostingOnly'],
      formUrl: orNull(values['howToRefer.formUrl']),
      email: orNull(values['howToRefer.email']),
      phone: orNull(values['howToRefer.phone']),
      instructions: orNull(values['howToRefer.instructions']),
    };
  }
  if (changed('referralRoutes')) input.referralRoutes = values.referralRoutes;
  if (changed('deliveryModes')) input.deliveryModes = values.deliveryModes;
  if (changed('cost.free', 'cost.description')) input.cost = { free: values['cost.free'], description: orNull(values['cost.description']) };
  for (const path of ['minimumAge', 'maximumAge'] as const) {
    if (!changed(path)) continue;
    const age = readAge(values[path]);
    if ('problem' in age) problems.push({ path, message: age.problem });
    else input[path] = age.value;
  }
  return { input, problems };
}

export type SaveOutcome = { saved: PartnerService } | { saved: null; problems?: FieldProblem[]; message?: string };

/**
 * The edit form. It starts from `service` as it was when the page loaded (or was reloaded), and keeps what
 * the partner types until a save succeeds: the parent remounts it (a new `key`) only when the partner
 * chooses to reload after a CONFLICT.
 */
export function ServiceForm({ service, disabled, onSave }: { service: PartnerService; disabled: boolean; onSave: (input: Record<string, unknown>) => Promise<SaveOutcome> }) {
  const [original, setOriginal] = useState(() => valuesOf(service));
  const [values, setValues] = useState(original);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  const set = <P extends Path>(path: P, value: FormValues[P]) => setValues((current) => ({ ...current, [path]: value }));
  const known = problems.filter((problem) => problem.path in FIELD_LABELS);
  const problemsAt = (path: Path) => known.filter((problem) => problem.path === path);
  const problemAt = (path: Path) => problemsAt(path)[0];
  const label = (problem: FieldProblem) => (problem.path in FIELD_LABELS ? FIELD_LABELS[problem.path as Path] : 'This service');
  const messageOf = (problem: FieldProblem) => fieldMessage(problem.path, label(problem), problem.message);

  const showProblems = (found: FieldProblem[]) => {
    setProblems(found);
    setStatus(null);
    // The summary takes the focus (after it renders), so a keyboard or screen reader user starts from it.
    window.setTimeout(() => summary.current?.focus(), 0);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const { input, problems: local } = changesOf(values, original);
    if (local.length > 0) return showProblems(local);
    if (Object.keys(input).length === 0) {
      setProblems([]);
      return setStatus({ text: 'You have not changed anything. If every detail is right, say so with "These details are still correct" above.' });
    }
    setSaving(true);
    setStatus({ text: 'Saving…' });
    const outcome = await onSave(input);
    setSaving(false);
    if (outcome.saved) {
      // From what the server kept (trimmed, normalised), so the next save sends only what changes next.
      const saved = valuesOf(outcome.saved);
      setProblems([]);
      setOriginal(saved);
      setValues(saved);
      setStatus({ text: 'Your changes are saved.' });
    } else if (outcome.problems?.length) {
      showProblems(outcome.problems);
    } else {
      setProblems([]);
      setStatus(outcome.message ? { text: outcome.message, error: true } : null);
    }
  };

  const described = (path: Path, hint?: boolean) => [hint ? `${fieldId(path)}-hint` : '', problemAt(path) ? `${fieldId(path)}-error` : ''].filter(Boolean).join(' ') || undefined;
  const errorText = (path: Path) => {
    const found = problemsAt(path);
    return found.length > 0 ? (
      <p class="field-error" id={`${fieldId(path)}-error`}>
        <span class="visually-hidden">Error: </span>
        {found.map(messageOf).join(' ')}
      </p>
    ) : null;
  };

  const text = (path: TextPath, options: { type?: 'email' | 'url' | 'tel' | 'text'; hint?: string; multiline?: number; autocomplete?: string; inputMode?: 'numeric'; short?: boolean } = {}) => (
    <div class={`field${options.short ? ' field-short' : ''}`}>
      <label for={fieldId(path)}>{FIELD_LABELS[path]}</label>
      {options.hint && (
        <p class="hint" id={`${fieldId(path)}-hint`}>
          {options.hint}
        </p>
      )}
      {errorText(path)}
      {options.multiline ? (
        <textarea
          id={fieldId(path)}
          rows={options.multiline}
          value={values[path]}
          aria-invalid={problemAt(path) ? 'true' : undefined}
          aria-describedby={described(path, Boolean(options.hint))}
          onInput={(event) => set(path, event.currentTarget.value)}
        />
      ) : (
        <input
          id={fieldId(path)}
          // Preact's types tell input types apart; these four (text, email, url, tel) take the same attributes.
          type={(options.type ?? 'text') as 'text'}
          inputMode={options.inputMode}
          autocomplete={options.autocomplete ?? 'off'}
          spellcheck={options.type === 'email' || options.type === 'url' ? false : undefined}
          value={values[path]}
          aria-invalid={problemAt(path) ? 'true' : undefined}
          aria-describedby={described(path, Boolean(options.hint))}
          onInput={(event) => set(path, event.currentTarget.value)}
        />
      )}
    </div>
  );

  const checkbox = (path: 'howToRefer.signpostingOnly' | 'cost.free', labelText: string) => (
    <div class="field">
      {errorText(path)}
      <div class="check">
        <input
          id={fieldId(path)}
          type="checkbox"
          checked={values[path]}
          aria-invalid={problemAt(path) ? 'true' : undefined}
          aria-describedby={described(path)}
          onChange={(event) => set(path, event.currentTarget.checked)}
        />
        <label for={fieldId(path)}>{labelText}</label>
      </div>
    </div>
  );

  const boxes = (path: 'referralRoutes' | 'deliveryModes', options: string[], labels: Record<string, string>, hint: string) => (
    <fieldset class="field checkboxes" aria-describedby={described(path, true)}>
      <legend>{FIELD_LABELS[path]}</legend>
      <p class="hint" id={`${fieldId(path)}-hint`}>
        {hint}
      </p>
      {errorText(path)}
      <ul class="check-list">
        {options.map((option, index) => {
          const id = index === 0 ? firstBoxId(path) : `${fieldId(path)}-${index}`;
          const checked = values[path].includes(option);
          return (
            <li class="check" key={option}>
              <input
                id={id}
                type="checkbox"
                checked={checked}
                aria-invalid={problemAt(path) ? 'true' : undefined}
                onChange={() => set(path, checked ? values[path].filter((other) => other !== option) : [...values[path], option])}
              />
              <label for={id}>{capitalise(labels[option] ?? option)}</label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );

  return (
    <form class="service-form" onSubmit={submit} noValidate aria-labelledby="edit-heading">
      {problems.length > 0 && (
        <div class="error-summary" ref={summary} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
          <h3 id="error-summary-title">There {problems.length === 1 ? 'is a problem' : `are ${problems.length} problems`}: nothing was saved</h3>
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.path}: ${problem.message}`}>
                {problem.path in FIELD_LABELS ? (
                  <a
                    href={`#${targetId(problem.path as Path)}`}
                    onClick={(event) => {
                      event.preventDefault();
                      const target = document.getElementById(targetId(problem.path as Path));
                      target?.focus();
                      target?.scrollIntoView({ block: 'center' });
                    }}
                  >
                    {messageOf(problem)}
                  </a>
                ) : (
                  messageOf(problem)
                )}
              </li>
            ))}
          </ul>
        </div>
      )}

      <Group title="About the service">
        {text('name', { autocomplete: 'off' })}
        {text('description', { multiline: 8, hint: 'What it is and what happens there, in plain words. Shown as you type it.' })}
      </Group>

      <Group title="Contact">
        {text('contact.phone', { type: 'tel', hint: 'A UK number, e.g. 0113 496 0000.' })}
        {text('contact.email', { type: 'email', hint: 'e.g. hello@example.org' })}
        {text('contact.url', { type: 'url', hint: 'Starting https://' })}
      </Group>

      <Group title="How to refer">
        {checkbox('howToRefer.signpostingOnly', 'It takes no referrals: people are told about it and go themselves')}
        {boxes('referralRoutes', ROUTES, ROUTE_CHOICES, 'Tick everyone who may refer someone.')}
        {text('howToRefer.formUrl', { type: 'url', hint: 'The address of an online referral form, starting https://' })}
        {text('howToRefer.email', { type: 'email' })}
        {text('howToRefer.phone', { type: 'tel' })}
        {text('howToRefer.instructions', { multiline: 3, hint: 'e.g. Name, date of birth, and what the person would like help with.' })}
      </Group>

      <Group title="How it is offered, ages and cost">
        {boxes('deliveryModes', MODES, DELIVERY_LABELS, 'Tick every way it is offered.')}
        <div class="field-pair">
          {text('minimumAge', { inputMode: 'numeric', hint: 'In years; empty for no limit.', short: true })}
          {text('maximumAge', { inputMode: 'numeric', hint: 'In years; empty for no limit.', short: true })}
        </div>
        {checkbox('cost.free', 'It is free')}
        {text('cost.description', { hint: 'e.g. £3 per session, includes lunch.' })}
      </Group>

      <div class="form-actions">
        <button type="submit" disabled={disabled || saving}>
          Save changes
        </button>
        <p class={status?.error ? 'form-status error' : 'form-status'} role="status">
          {status?.text ?? ''}
        </p>
      </div>
    </form>
  );
}

function Group({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <fieldset class="form-group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
