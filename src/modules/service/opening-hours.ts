import { DateTime, IANAZone } from 'luxon';
import { enumSetPattern } from '../common/enum-set.type';

/**
 * Opening hours from HSDS weekly rules, in Europe/London wall-clock time.
 *
 * Terminology:
 * - A *rule* lists the days a session starts on, with `opensAt`/`closesAt`
 *   as "HH:MM". `closesAt < opensAt` runs past midnight into the next day
 *   ("00:00" means until midnight); `closesAt == opensAt` is never open.
 * - A *session* is one rule on one start date. The rule applies when that
 *   start date lies within [validFrom, validTo], inclusive.
 * - "Open" is decided on the wall clock, minute by minute, half-open:
 *   open at `opensAt`, closed at `closesAt`. This is what `openAtSql` can
 *   express in SQL, and `isOpenAt` must agree with it row for row. The cost
 *   is on the two DST Sundays: when clocks go forward, a rule opening inside
 *   the missing hour reads open from 02:00; when they go back, the clock
 *   reads 01:00-01:59 twice, and the test is made on each pass.
 * - Instants that must be a single point (`nextOpening`, `currentSessionEnd`)
 *   come from `wallClockInstants`: a missing local time maps to the end of
 *   the gap (02:00 BST, the moment the wall clock first passes it, which is
 *   when `isOpenAt` turns true; luxon would shift by the gap's length
 *   instead), and a repeated local time has two candidates.
 */

const ZONE = 'Europe/London';
const zone = IANAZone.create(ZONE);
const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface OpeningRule {
  /** HSDS byday codes the session starts on, e.g. ['MO', 'FR']. */
  days: string[];
  opensAt: string;
  closesAt: string;
  validFrom?: string | null;
  validTo?: string | null;
}

export interface LocalMoment {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** HSDS byday code of `date`, MO..SU. */
  day: string;
  /** Local time, HH:MM (seconds dropped). */
  time: string;
  previousDate: string;
  previousDay: string;
}

/** The Europe/London wall clock at `instant`, in the shape the rules are written in. */
export function localMoment(instant: Date): LocalMoment {
  const local = DateTime.fromJSDate(instant, { zone: ZONE });
  if (!local.isValid) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return {
    date: local.toISODate()!,
    day: DAY_CODES[local.weekday - 1],
    time: local.toFormat('HH:mm'),
    previousDate: addDays(local.toISODate()!, -1),
    previousDay: DAY_CODES[(local.weekday + 5) % 7],
  };
}

/** True when any rule has a session open at `instant` (see the module note on DST). */
export function isOpenAt(rules: OpeningRule[], instant: Date): boolean {
  const moment = localMoment(instant);
  return rules.some((rule) => openSessionStart(rule, moment) !== null);
}

/**
 * When the session open at `instant` closes, or null if nothing is open.
 * With overlapping rules this is the latest-closing one; back-to-back
 * sessions (10:00-12:00 then 12:00-14:00) are not joined.
 */
export function currentSessionEnd(rules: OpeningRule[], instant: Date): Date | null {
  const moment = localMoment(instant);
  let latest: number | null = null;
  for (const rule of rules) {
    const startDate = openSessionStart(rule, moment);
    if (startDate === null) continue;
    // The first time the clock reads closesAt after `instant`: on the
    // autumn Sunday that may be the second 01:xx, if we are already in it.
    const candidates = wallClockInstants(sessionEndDate(rule, startDate), rule.closesAt);
    const end = candidates.find((t) => t > instant.getTime()) ?? candidates[candidates.length - 1];
    if (latest === null || end > latest) latest = end;
  }
  return latest === null ? null : new Date(latest);
}

/**
 * The earliest session start strictly after `instant` and at most
 * `horizonDays` × 24 hours later, or null. A start in the spring gap maps
 * to the end of the gap; a repeated autumn time takes its first (BST)
 * occurrence. Sessions already open at `instant` do not count: this is when
 * the next one begins, not when the service next becomes open.
 */
export function nextOpening(rules: OpeningRule[], instant: Date, horizonDays = 14): Date | null {
  const after = instant.getTime();
  const limit = after + horizonDays * DAY_MS;
  const today = localMoment(instant).date;
  let earliest: number | null = null;
  for (let offset = 0; offset <= horizonDays; offset++) {
    const date = addDays(today, offset);
    const day = dayCode(date);
    for (const rule of rules) {
      if (!rule.days.includes(day) || !isValidOn(rule, date) || rule.closesAt === rule.opensAt) continue;
      const start = wallClockInstants(date, rule.opensAt)[0];
      if (start <= after || start > limit) continue;
      // A session that lies wholly inside the spring gap never opens.
      const endsAfterStart = wallClockInstants(sessionEndDate(rule, date), rule.closesAt).some((t) => t > start);
      if (!endsAfterStart) continue;
      if (earliest === null || start < earliest) earliest = start;
    }
  }
  return earliest === null ? null : new Date(earliest);
}

/**
 * A boolean SQL expression, true for a `schedule` row `alias` open at
 * `moment`, with `?` bindings in order. Only LIKE, text comparison and
 * IS NULL, so SQLite and PostgreSQL read it alike; it is the same two cases
 * as `isOpenAt`, which the tests hold it to.
 */
export function openAtSql(moment: LocalMoment, alias = 'sch'): { sql: string; bindings: string[] } {
  // The alias is spliced into the SQL text, so it must be a plain identifier.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) throw new Error(`Not a SQL alias: ${alias}`);
  const c = (column: string) => `${alias}.${column}`;
  const validOn = `(${c('valid_from')} IS NULL OR ${c('valid_from')} <= ?) AND (${c('valid_to')} IS NULL OR ${c('valid_to')} >= ?)`;
  const startedToday =
    `${c('days')} LIKE ? AND ${c('opens_at')} <= ? AND (${c('closes_at')} > ? OR ${c('closes_at')} < ${c('opens_at')}) AND ${validOn}`;
  const startedYesterday =
    `${c('days')} LIKE ? AND ${c('closes_at')} < ${c('opens_at')} AND ${c('closes_at')} > ? AND ${validOn}`;
  return {
    sql: `((${startedToday}) OR (${startedYesterday}))`,
    bindings: [
      enumSetPattern(moment.day), moment.time, moment.time, moment.date, moment.date,
      enumSetPattern(moment.previousDay), moment.time, moment.previousDate, moment.previousDate,
    ],
  };
}

/** The local start date of the rule's session open at `moment`, or null. Mirrors `openAtSql`. */
function openSessionStart(rule: OpeningRule, moment: LocalMoment): string | null {
  const { opensAt, closesAt } = rule;
  const overnight = closesAt < opensAt;
  const startedToday =
    rule.days.includes(moment.day) && opensAt <= moment.time && (closesAt > moment.time || overnight) && isValidOn(rule, moment.date);
  if (startedToday) return moment.date;
  const startedYesterday =
    rule.days.includes(moment.previousDay) && overnight && closesAt > moment.time && isValidOn(rule, moment.previousDate);
  return startedYesterday ? moment.previousDate : null;
}

// `== null` rather than falsy, so an empty string compares as SQL would.
function isValidOn(rule: OpeningRule, date: string): boolean {
  return (rule.validFrom == null || rule.validFrom <= date) && (rule.validTo == null || rule.validTo >= date);
}

function sessionEndDate(rule: OpeningRule, startDate: string): string {
  return rule.closesAt > rule.opensAt ? startDate : addDays(startDate, 1);
}

/**
 * The instants (ms, ascending) at which the London clock reads `time` on
 * `date`: one normally, two in the repeated autumn hour, and in the spring
 * gap the single instant the clock jumps past it.
 */
function wallClockInstants(date: string, time: string): number[] {
  const naive = DateTime.fromISO(`${date}T${time}`, { zone: 'utc' }).toMillis();
  // London changes offset at most once in any two days.
  const offsetBefore = zone.offset(naive - DAY_MS);
  const offsetAfter = zone.offset(naive + DAY_MS);
  const instants = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => naive - offset * MINUTE_MS)
    .filter((t) => zone.offset(t) === (naive - t) / MINUTE_MS)
    .sort((a, b) => a - b);
  if (instants.length > 0) return instants;
  // In the gap: the transition lies in (naive - offsetAfter, naive - offsetBefore].
  let lo = naive - offsetAfter * MINUTE_MS;
  let hi = naive - offsetBefore * MINUTE_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === offsetBefore) lo = mid;
    else hi = mid;
  }
  return [hi];
}

// Calendar arithmetic in UTC, where every day has 24 hours.
function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;
}

function dayCode(date: string): string {
  return DAY_CODES[DateTime.fromISO(date, { zone: 'utc' }).weekday - 1];
}
