import { DAY_MS } from '../common/time';

/** Calendar dates on the Europe/London wall clock, as the directory's people live them. */
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Europe/London calendar date of an instant, "YYYY-MM-DD". */
export function londonDateOf(instant: Date): string {
  return LONDON_DATE.format(instant);
}

/** Days since 1970-01-01 of a "YYYY-MM-DD" date. */
export function dayNumberOf(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday starting the ISO week of a "YYYY-MM-DD" date. */
export function mondayOf(date: string): string {
  const day = dayNumberOf(date);
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
  return dateOfDayNumber(day - ((day + 3) % 7));
}

/** The week (its Monday, Europe/London) an instant falls in. */
export function weekStartingOf(instant: Date): string {
  return mondayOf(londonDateOf(instant));
}

/** The London date `months` calendar months before the instant's (the 31st becomes the last day of a shorter month). */
export function monthsBefore(instant: Date, months: number): string {
  const today = londonDateOf(instant);
  const [year, month, day] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - months, Number(today.slice(8, 10))];
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(day, lastDay))).toISOString().slice(0, 10);
}
