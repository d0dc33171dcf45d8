import { enumSetPattern } from '../common/enum-set.type';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../common/time';

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
 *   come from `wallClockInstant`: a missing local time maps to the end of
 *   the gap (02:00 BST, the moment the wall clock first passes it, which is
 *   when `isOpenAt` turns true; luxon would shift by the gap's length
 *   instead), and a repeated local time has two candidates.
 *
 * Implementation: these run for every service location in a response, so
 * they work on plain numbers rather than date objects. A local date is a
 * *day number* (days since 1970-01-01 on the wall-clock calendar), a local
 * date-time is a *naive* millisecond count (the wall clock read as if it
 * were UTC), and the only time-zone question asked is London's UTC offset
 * at an instant. `londonOffset` answers that from a lazily built table of
 * the offset changes (found once per 32-day stretch from `Intl`, the same
 * source and arithmetic luxon's `IANAZone.offset` uses), so a lookup is a
 * couple of comparisons.
 */

const ZONE = 'Europe/London';
const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
/** The largest |time value| a JavaScript Date can hold. */
const MAX_TIME = 8.64e15;

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
  return localAt(instant).moment;
}

/** True when any rule has a session open at `instant` (see the module note on DST). */
export function isOpenAt(rules: OpeningRule[], instant: Date): boolean {
  const { moment } = localAt(instant);
  return rules.some((rule) => openSessionStart(rule, moment) !== NOT_OPEN);
}

/**
 * When the session open at `instant` closes, or null if nothing is open.
 * With overlapping rules this is the latest-closing one; back-to-back
 * sessions (10:00-12:00 then 12:00-14:00) are not joined.
 */
export function currentSessionEnd(rules: OpeningRule[], instant: Date): Date | null {
  const { day: today, moment } = localAt(instant);
  let latest: number | null = null;
  for (const rule of rules) {
    const daysBack = openSessionStart(rule, moment);
    if (daysBack === NOT_OPEN) continue;
    // The first time the clock reads closesAt after `instant`: on the
    // autumn Sunday that may be the second 01:xx, if we are already in it.
    const naive = (today - daysBack + sessionEndShift(rule)) * DAY_MS + timeOfDayMs(rule.closesAt);
    const first = wallClockInstant(naive, false);
    const end = first > instant.getTime() ? first : wallClockInstant(naive, true);
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
  const today = localAt(instant).day;
  let earliest: number | null = null;
  for (const rule of rules) {
    if (rule.closesAt === rule.opensAt) continue;
    const days = dayMask(rule.days);
    if (days === 0) continue;
    const opens = timeOfDayMs(rule.opensAt);
    const closes = timeOfDayMs(rule.closesAt);
    const endShift = sessionEndShift(rule);
    const hasValidity = rule.validFrom != null || rule.validTo != null;
    // A rule's starts move later day by day (by 23 hours at the least), so
    // its first qualifying day is its earliest start and later ones can stop.
    for (let offset = 0; offset <= horizonDays; offset++) {
      const day = today + offset;
      if ((days & (1 << weekdayIndex(day))) === 0) continue;
      if (hasValidity && !isValidOn(rule, isoDate(day))) continue;
      const start = wallClockInstant(day * DAY_MS + opens, false);
      if (start > limit || (earliest !== null && start >= earliest)) break;
      if (start <= after) continue;
      // A session that lies wholly inside the spring gap never opens.
      if (!(wallClockInstant((day + endShift) * DAY_MS + closes, true) > start)) continue;
      earliest = start;
      break;
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

const NOT_OPEN = -1;

/**
 * How many days before `moment` the rule's session open at `moment` started
 * (0 or 1), or NOT_OPEN. Mirrors `openAtSql`: plain text comparisons.
 */
function openSessionStart(rule: OpeningRule, moment: LocalMoment): number {
  const { opensAt, closesAt } = rule;
  const overnight = closesAt < opensAt;
  const startedToday =
    rule.days.includes(moment.day) && opensAt <= moment.time && (closesAt > moment.time || overnight) && isValidOn(rule, moment.date);
  if (startedToday) return 0;
  const startedYesterday =
    rule.days.includes(moment.previousDay) && overnight && closesAt > moment.time && isValidOn(rule, moment.previousDate);
  return startedYesterday ? 1 : NOT_OPEN;
}

// `== null` rather than falsy, so an empty string compares as SQL would.
function isValidOn(rule: OpeningRule, date: string): boolean {
  return (rule.validFrom == null || rule.validFrom <= date) && (rule.validTo == null || rule.validTo >= date);
}

/** Days from a session's start date to its end date: 0, or 1 when it runs past midnight. */
function sessionEndShift(rule: OpeningRule): number {
  return rule.closesAt > rule.opensAt ? 0 : 1;
}

// ---------------------------------------------------------------------------
// The wall clock as numbers.

interface LocalAt {
  /** Day number of the local date. */
  day: number;
  moment: LocalMoment;
}

/** `instant` on the London wall clock: its day number and its `LocalMoment`. */
function localAt(instant: Date): LocalAt {
  // As luxon's DateTime.fromJSDate: anything but a valid Date is rejected.
  const ts = instant instanceof Date || Object.prototype.toString.call(instant) === '[object Date]' ? instant.valueOf() : NaN;
  if (Number.isNaN(ts)) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  const local = ts + londonOffset(ts) * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  const minute = Math.floor((local - day * DAY_MS) / MINUTE_MS);
  return {
    day,
    moment: {
      date: isoDate(day),
      day: DAY_CODES[weekdayIndex(day)],
      time: CLOCK_TIMES[minute],
      previousDate: isoDate(day - 1),
      previousDay: DAY_CODES[weekdayIndex(day - 1)],
    },
  };
}

/**
 * An instant (ms) at which the London clock reads the naive local time
 * `naive`: the first one (`last` false) or the last one (`last` true). There
 * is one normally, two in the repeated autumn hour, and in the spring gap
 * the single instant the clock jumps past it. NaN in, NaN out.
 */
function wallClockInstant(naive: number, last: boolean): number {
  // London changes offset at most once in any two days.
  const offsetBefore = londonOffset(naive - DAY_MS);
  const offsetAfter = londonOffset(naive + DAY_MS);
  const early = naive - offsetBefore * MINUTE_MS;
  const earlyFits = londonOffset(early) === (naive - early) / MINUTE_MS;
  if (offsetAfter === offsetBefore) {
    if (earlyFits) return early;
  } else {
    const late = naive - offsetAfter * MINUTE_MS;
    const lateFits = londonOffset(late) === (naive - late) / MINUTE_MS;
    if (earlyFits && lateFits) return last ? Math.max(early, late) : Math.min(early, late);
    if (earlyFits) return early;
    if (lateFits) return late;
  }
  // In the gap: the transition lies in (naive - offsetAfter, naive - offsetBefore].
  let lo = naive - offsetAfter * MINUTE_MS;
  let hi = naive - offsetBefore * MINUTE_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (londonOffset(mid) === offsetBefore) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** MO = 0 … SU = 6 for a day number (day 0, 1970-01-01, was a Thursday). */
function weekdayIndex(day: number): number {
  return (((day % 7) + 10) % 7);
}

const DAY_BITS = new Map<unknown, number>(DAY_CODES.map((code, index) => [code, 1 << index]));

/** The weekday codes in `days` as bits (MO = 1 … SU = 64); anything else is ignored, as `includes` would. */
function dayMask(days: readonly string[]): number {
  let mask = 0;
  for (const code of days) mask |= DAY_BITS.get(code) ?? 0;
  return mask;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "HH:MM" for each minute of the day. */
const CLOCK_TIMES: readonly string[] = Array.from({ length: 24 * 60 }, (_, m) => `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`);

const isoDates = new Map<number, string>();

/** The ISO date of a day number, written as luxon's `toISODate` writes it. */
function isoDate(day: number): string {
  let text = isoDates.get(day);
  if (text === undefined) {
    if (isoDates.size >= 4096) isoDates.clear();
    text = formatIsoDate(day);
    isoDates.set(day, text);
  }
  return text;
}

function formatIsoDate(day: number): string {
  // Proleptic Gregorian civil date from a day number (H. Hinnant's days_from_civil, inverted).
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const date = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  // Years outside 0-9999 get six digits and a sign, as in luxon.
  const long = year > 9999 || year < 0;
  const yearText = year < 0 ? `-${String(-year).padStart(6, '0')}` : `${long ? '+' : ''}${String(year).padStart(long ? 6 : 4, '0')}`;
  return `${yearText}-${pad2(month)}-${pad2(date)}`;
}

/**
 * Milliseconds from local midnight to `time`, "HH:MM" from 00:00 to 23:59:
 * the only shape a schedule time has (TIME_PATTERN on input, a five-character
 * column), so it is read by character code, with no checks.
 */
function timeOfDayMs(time: string): number {
  const hours = (time.charCodeAt(0) - 48) * 10 + (time.charCodeAt(1) - 48);
  const minutes = (time.charCodeAt(3) - 48) * 10 + (time.charCodeAt(4) - 48);
  return hours * HOUR_MS + minutes * MINUTE_MS;
}

// ---------------------------------------------------------------------------
// Europe/London's UTC offset.

/** Offsets are tabulated in stretches of this length, each built on first use. */
const CHUNK_DAYS = 32;
const CHUNK_MS = CHUNK_DAYS * DAY_MS;

interface OffsetChunk {
  start: number;
  /** Instants (ascending) in the stretch at which the offset changes. */
  changes: number[];
  /** offsets[i] holds from changes[i - 1] (or `start`) until changes[i] (or the stretch's end). */
  offsets: number[];
}

const offsetChunks = new Map<number, OffsetChunk>();
// The stretch of time the last lookup fell in, where the offset is constant.
let cachedFrom = 0;
let cachedUntil = 0;
let cachedOffset = 0;

/**
 * London's UTC offset in minutes at `ts` (ms), exactly as luxon's
 * `IANAZone.offset` gives it: NaN for an invalid time value.
 */
function londonOffset(ts: number): number {
  const time = Math.trunc(ts); // as `new Date(ts)` does
  if (time >= cachedFrom && time < cachedUntil) return cachedOffset;
  if (!(Math.abs(time) <= MAX_TIME)) return NaN;
  const index = Math.floor(time / CHUNK_MS);
  let chunk = offsetChunks.get(index);
  if (chunk === undefined) {
    if (offsetChunks.size >= 1024) offsetChunks.clear(); // ~90 years of stretches
    chunk = buildOffsetChunk(index * CHUNK_MS);
    offsetChunks.set(index, chunk);
  }
  const { changes, offsets } = chunk;
  let i = 0;
  while (i < changes.length && time >= changes[i]) i++;
  cachedFrom = i === 0 ? chunk.start : changes[i - 1];
  cachedUntil = i === changes.length ? chunk.start + CHUNK_MS : changes[i];
  cachedOffset = offsets[i];
  return cachedOffset;
}

/**
 * The offsets over [start, start + CHUNK_MS): sampled daily from Intl, with
 * each change pinned to the millisecond. London's offset never changes
 * twice within a day.
 */
function buildOffsetChunk(start: number): OffsetChunk {
  const changes: number[] = [];
  const offsets = [intlOffset(start)];
  let previous = start;
  let previousOffset = offsets[0];
  for (let i = 1; i <= CHUNK_DAYS; i++) {
    const sample = start + i * DAY_MS;
    const offset = intlOffset(sample);
    if (offset !== previousOffset) {
      let lo = previous;
      let hi = sample;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (intlOffset(mid) === previousOffset) lo = mid;
        else hi = mid;
      }
      // A change at the very end of the stretch belongs to the next one.
      if (hi < start + CHUNK_MS) {
        changes.push(hi);
        offsets.push(offset);
      }
    }
    previous = sample;
    previousOffset = offset;
  }
  return { start, changes, offsets };
}

let formatter: Intl.DateTimeFormat | undefined;

/** luxon's IANAZone.offset: read the wall clock from Intl and subtract. */
function intlOffset(ts: number): number {
  const date = new Date(ts);
  const time = date.getTime();
  if (Number.isNaN(time)) return NaN;
  formatter ??= new Intl.DateTimeFormat('en-US', {
    hour12: false,
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    era: 'short',
  });
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let beforeChrist = false;
  for (const { type, value } of formatter.formatToParts(date)) {
    if (type === 'year') year = parseInt(value, 10);
    else if (type === 'month') month = parseInt(value, 10);
    else if (type === 'day') day = parseInt(value, 10);
    else if (type === 'hour') hour = parseInt(value, 10);
    else if (type === 'minute') minute = parseInt(value, 10);
    else if (type === 'second') second = parseInt(value, 10);
    else if (type === 'era') beforeChrist = value === 'BC';
  }
  if (beforeChrist) year = -Math.abs(year) + 1;
  // Some engines write midnight as 24:00 with hour12 off.
  let asUTC = Date.UTC(year, month - 1, day, hour === 24 ? 0 : hour, minute, second, 0);
  if (year < 100 && year >= 0) {
    // Date.UTC reads years 0-99 as 1900-1999.
    const fixed = new Date(asUTC);
    fixed.setUTCFullYear(year, month - 1, day);
    asUTC = fixed.getTime();
  }
  const over = time % 1000;
  const asTS = time - (over >= 0 ? over : 1000 + over);
  return (asUTC - asTS) / MINUTE_MS;
}
