/** Words people read for the directory's codes and instants (Europe/London, as the schedules are). */

const LONDON_DAY_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' });
const LONDON_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: '2-digit' });

export const formatDayTime = (iso: string): string => LONDON_DAY_TIME.format(new Date(iso));
export const formatDate = (iso: string): string => LONDON_DATE.format(new Date(iso));
export const formatTime = (iso: string): string => LONDON_TIME.format(new Date(iso));

export const CAPACITY_LABELS: Record<string, string> = {
  TAKING_REFERRALS: 'Taking referrals',
  WAITING_LIST: 'Waiting list',
  NOT_TAKING_REFERRALS: 'Not taking referrals',
  UNKNOWN: 'Referrals: not known',
};

export function capacityText(capacity: { status: string; waitDays: number | null }): string {
  if (capacity.status === 'WAITING_LIST' && capacity.waitDays !== null) return `Waiting list (about ${capacity.waitDays} ${capacity.waitDays === 1 ? 'day' : 'days'})`;
  return CAPACITY_LABELS[capacity.status] ?? capacity.status;
}

export const REACH_LABELS: Record<string, string> = {
  AT_HUB: 'Near you',
  AREA: 'Covers your area',
  NATIONAL: 'Available nationally',
};

/** The kinds of problem a person can report on a listing (reportProblem), as the finder offers them and the partner page lists them. */
export const PROBLEM_KINDS = {
  WRONG_TIMES: 'The days or times are wrong',
  WRONG_CONTACT: 'The phone, email or website is wrong',
  CLOSED: 'It has closed or no longer runs',
  OTHER: 'Something else',
} as const;

export const ROUTE_LABELS: Record<string, string> = {
  GP: 'a GP',
  LINK_WORKER: 'a social prescribing link worker',
  PHARMACY: 'a pharmacy',
  HOSPITAL_DISCHARGE: 'a hospital discharge team',
  OTHER_PROFESSIONAL: 'another professional',
  SELF_REFERRAL: 'yourself (self-referral)',
};

export const DELIVERY_LABELS: Record<string, string> = { IN_PERSON: 'in person', ONLINE: 'online', PHONE: 'by phone' };

export const WEEKDAY_LABELS: Record<string, string> = {
  MONDAY: 'Monday',
  TUESDAY: 'Tuesday',
  WEDNESDAY: 'Wednesday',
  THURSDAY: 'Thursday',
  FRIDAY: 'Friday',
  SATURDAY: 'Saturday',
  SUNDAY: 'Sunday',
};

const LANGUAGES = new Intl.DisplayNames(['en-GB'], { type: 'language' });

/** A language's English name: Intl's, but "British Sign Language" for bfi and "Bengali" (as services in England say, where ICU says "Bangla"). */
export function languageName(code: string): string {
  if (code === 'bfi') return 'British Sign Language';
  if (code === 'bn') return 'Bengali';
  try {
    return LANGUAGES.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "a, b and c" */
export function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function ageText(minimumAge: number | null, maximumAge: number | null): string | null {
  if (minimumAge !== null && maximumAge !== null) return `Ages ${minimumAge} to ${maximumAge}`;
  if (minimumAge !== null) return `Ages ${minimumAge} and over`;
  if (maximumAge !== null) return `Up to age ${maximumAge}`;
  return null;
}

/** A description cut at a word for the results list; shown as text, never as HTML. */
export function summary(text: string, max = 180): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20))}…`;
}
