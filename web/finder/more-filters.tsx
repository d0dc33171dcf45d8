import { WEEKDAY_LABELS } from '../shared/format';
import { ACCESSIBILITY_LABELS, CRITERION_GROUPS, languageOptions } from './filter-labels';
import type { Criterion } from './queries';
import { ACCESSIBILITY_FEATURES, DEFAULT_OPEN_TIME, moreFiltersCount, WEEKDAYS, type SearchState, type Weekday } from './search-state';

export interface FilterEdits {
  /** A choice made (a box ticked, a day picked): searched at once when results are shown. */
  choose(patch: Partial<SearchState>): void;
  /** A value being typed (a time): searched once the typing pauses. */
  type(patch: Partial<SearchState>): void;
}

const toggled = <T,>(list: T[], value: T, on: boolean): T[] => (on ? [...list.filter((other) => other !== value), value] : list.filter((other) => other !== value));

/**
 * "More filters", folded so the first screen stays simple: the person's circumstances (the criteria
 * they meet), a day and time they can go, access needs, and a language. Open by itself when the
 * address has any of them.
 */
export function MoreFilters({ form, criteria, criteriaLoading, open, onToggle, edits }: { form: SearchState; criteria: Criterion[]; criteriaLoading: boolean; open: boolean; onToggle: (open: boolean) => void; edits: FilterEdits }) {
  const chosen = moreFiltersCount(form);
  // A code in a shared address that the directory no longer lists is still shown, so it can be unticked.
  const unknown = form.criterionCodes.filter((code) => criteria.length > 0 && !criteria.some((criterion) => criterion.code === code));
  return (
    <details class="more-filters" open={open} onToggle={(event) => onToggle((event.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        More filters{chosen > 0 ? ` (${chosen} chosen)` : ''}
        <span class="summary-hint"> circumstances, a day and time, access needs, language</span>
      </summary>
      <div class="more-filters-body">
        <fieldset class="filter-group person-criteria" aria-describedby="meets-hint">
          <legend>About the person</legend>
          <p id="meets-hint" class="hint">
            Tick what applies to them. Services for people in other circumstances are left out; services open to everyone stay.
          </p>
          {criteriaLoading && criteria.length === 0 && <p>Loading the list…</p>}
          <div class="criteria-groups">
            {CRITERION_GROUPS.map((group) => {
              const members = criteria.filter((criterion) => group.kinds.includes(criterion.kind));
              const extra = group.kinds.includes('OTHER') ? unknown : [];
              if (members.length === 0 && extra.length === 0) return null;
              return (
                <fieldset key={group.legend} class="criteria-group">
                  <legend>{group.legend}</legend>
                  <ul class="check-list">
                    {[...members.map((criterion) => ({ code: criterion.code, label: criterion.label })), ...extra.map((code) => ({ code, label: code }))].map(({ code, label }) => (
                      <li key={code} class="check">
                        <input
                          id={`meets-${code}`}
                          type="checkbox"
                          checked={form.criterionCodes.includes(code)}
                          onChange={(event) => edits.choose({ criterionCodes: toggled(form.criterionCodes, code, (event.currentTarget as HTMLInputElement).checked) })}
                        />
                        <label for={`meets-${code}`}>{label}</label>
                      </li>
                    ))}
                  </ul>
                </fieldset>
              );
            })}
          </div>
        </fieldset>

        <div class="filter-column">
          <fieldset class="filter-group when" aria-describedby="when-hint">
            <legend>Open at a chosen time</legend>
            <p id="when-hint" class="hint">
              When the person can go, instead of open now: for example Monday at 10:30.
            </p>
            <div class="when-fields">
              <div class="field">
                <label for="open-day">Day</label>
                <select
                  id="open-day"
                  value={form.openDay ?? ''}
                  onChange={(event) => {
                    const day = (event.currentTarget as HTMLSelectElement).value as Weekday | '';
                    edits.choose({ openDay: day || null, openNow: day ? false : form.openNow, openTime: form.openTime || DEFAULT_OPEN_TIME });
                  }}
                >
                  <option value="">Not chosen</option>
                  {WEEKDAYS.map((day) => (
                    <option key={day} value={day}>
                      {WEEKDAY_LABELS[day.toUpperCase()]}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="open-time">Time</label>
                <input
                  id="open-time"
                  type="time"
                  step={300}
                  value={form.openTime}
                  onInput={(event) => {
                    const time = (event.currentTarget as HTMLInputElement).value;
                    if (time) edits.type({ openTime: time });
                  }}
                />
              </div>
            </div>
          </fieldset>

          <div class="field filter-group">
            <label for="language">Language</label>
            <select id="language" aria-describedby="language-hint" value={form.language ?? ''} onChange={(event) => edits.choose({ language: (event.currentTarget as HTMLSelectElement).value || null })}>
              <option value="">Any language</option>
              {languageOptions(form.language).map((option) => (
                <option key={option.code} value={option.code}>
                  {option.name}
                </option>
              ))}
            </select>
            <p id="language-hint" class="hint">
              Services offered in this language.
            </p>
          </div>
        </div>

        <fieldset class="filter-group access" aria-describedby="access-hint">
          <legend>Access needs</legend>
          <p id="access-hint" class="hint">
            Services at a place with all of these. Services by phone, online or covering the area are kept.
          </p>
          <ul class="check-list">
            {ACCESSIBILITY_FEATURES.map((feature) => (
              <li key={feature} class="check">
                <input
                  id={`access-${feature}`}
                  type="checkbox"
                  checked={form.access.includes(feature)}
                  onChange={(event) => edits.choose({ access: ACCESSIBILITY_FEATURES.filter((other) => (other === feature ? (event.currentTarget as HTMLInputElement).checked : form.access.includes(other))) })}
                />
                <label for={`access-${feature}`}>{ACCESSIBILITY_LABELS[feature]}</label>
              </li>
            ))}
          </ul>
        </fieldset>
      </div>
    </details>
  );
}
