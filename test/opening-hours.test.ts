import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeds/random';
import knex from 'knex';
import { DateTime, IANAZone } from 'luxon';
import {
  currentSessionEnd,
  isOpenAt,
  localMoment,
  nextOpening,
  openAtSql,
  type OpeningRule,
} from '../src/modules/service/opening-hours';
import { encodeEnumSet } from '../src/modules/common/enum-set.type';

/*
 * Calendar anchors (2026): Tue 6 Jan and Tue 7 Jul; Fri 9 Jan; clocks go
 * forward Sun 29 Mar at 01:00 GMT (to 02:00 BST) and back Sun 25 Oct at
 * 02:00 BST (to 01:00 GMT). Winter local time = UTC, summer = UTC + 1.
 */
const at = (iso: string) => new Date(iso);
const rule = (days: string[], opensAt: string, closesAt: string, validity: Partial<OpeningRule> = {}): OpeningRule => ({
  days,
  opensAt,
  closesAt,
  ...validity,
});

describe('a weekday morning session', () => {
  const tuesdayMorning = [rule(['TU'], '10:00', '12:00')];

  it('opens at opensAt and closes at closesAt in winter (GMT)', () => {
    expect(isOpenAt(tuesdayMorning, at('2026-01-06T09:59:00Z'))).toBe(false);
    expect(isOpenAt(tuesdayMorning, at('2026-01-06T10:00:00Z'))).toBe(true);
    expect(isOpenAt(tuesdayMorning, at('2026-01-06T10:30:00Z'))).toBe(true);
    expect(isOpenAt(tuesdayMorning, at('2026-01-06T11:59:59Z'))).toBe(true);
    expect(isOpenAt(tuesdayMorning, at('2026-01-06T12:00:00Z'))).toBe(false);
  });

  it('follows the local clock in summer (BST)', () => {
    expect(isOpenAt(tuesdayMorning, at('2026-07-07T08:59:00Z'))).toBe(false); // 09:59 BST
    expect(isOpenAt(tuesdayMorning, at('2026-07-07T09:00:00Z'))).toBe(true); // 10:00 BST
    expect(isOpenAt(tuesdayMorning, at('2026-07-07T09:30:00Z'))).toBe(true);
    expect(isOpenAt(tuesdayMorning, at('2026-07-07T10:59:00Z'))).toBe(true);
    expect(isOpenAt(tuesdayMorning, at('2026-07-07T11:00:00Z'))).toBe(false); // 12:00 BST
    expect(isOpenAt(tuesdayMorning, at('2026-07-07T11:30:00Z'))).toBe(false);
  });

  it('is closed on other days', () => {
    expect(isOpenAt(tuesdayMorning, at('2026-01-07T10:30:00Z'))).toBe(false);
  });

  it('is never open when closesAt equals opensAt, nor with no rules', () => {
    expect(isOpenAt([rule(['TU'], '10:00', '10:00')], at('2026-01-06T10:00:00Z'))).toBe(false);
    expect(isOpenAt([], at('2026-01-06T10:30:00Z'))).toBe(false);
  });
});

describe('a session past midnight', () => {
  const fridayLate = [rule(['FR'], '22:00', '02:00')];

  it('runs from Friday 22:00 into Saturday 02:00', () => {
    expect(isOpenAt(fridayLate, at('2026-01-09T21:59:00Z'))).toBe(false);
    expect(isOpenAt(fridayLate, at('2026-01-09T22:00:00Z'))).toBe(true);
    expect(isOpenAt(fridayLate, at('2026-01-10T01:00:00Z'))).toBe(true);
    expect(isOpenAt(fridayLate, at('2026-01-10T01:59:00Z'))).toBe(true);
    expect(isOpenAt(fridayLate, at('2026-01-10T02:00:00Z'))).toBe(false);
  });

  it('is not open in the early hours of Friday, which would be a Thursday session', () => {
    expect(isOpenAt(fridayLate, at('2026-01-09T01:00:00Z'))).toBe(false);
  });

  it('runs into the next day only after a listed day', () => {
    const fridayAndSunday = [rule(['FR', 'SU'], '22:00', '02:00')];
    expect(isOpenAt(fridayAndSunday, at('2026-01-10T01:00:00Z'))).toBe(true); // Sat, after Fri
    expect(isOpenAt(fridayAndSunday, at('2026-01-11T01:00:00Z'))).toBe(false); // Sun, Sat not listed
    expect(isOpenAt(fridayAndSunday, at('2026-01-12T01:00:00Z'))).toBe(true); // Mon, after Sun
    expect(isOpenAt([rule(['SA'], '22:00', '02:00')], at('2026-01-11T01:00:00Z'))).toBe(true);
  });

  it('reads closesAt 00:00 as until midnight', () => {
    const mondayEvening = [rule(['MO'], '18:00', '00:00')];
    expect(isOpenAt(mondayEvening, at('2026-01-05T17:59:00Z'))).toBe(false);
    expect(isOpenAt(mondayEvening, at('2026-01-05T18:00:00Z'))).toBe(true);
    expect(isOpenAt(mondayEvening, at('2026-01-05T23:59:00Z'))).toBe(true);
    expect(isOpenAt(mondayEvening, at('2026-01-06T00:00:00Z'))).toBe(false);
    expect(currentSessionEnd(mondayEvening, at('2026-01-05T20:00:00Z'))).toEqual(at('2026-01-06T00:00:00Z'));
  });
});

describe('validity dates', () => {
  it('apply to the date a session starts, so the last session may run past valid_to', () => {
    const endsFriday9 = [rule(['FR'], '22:00', '02:00', { validTo: '2026-01-09' })];
    expect(isOpenAt(endsFriday9, at('2026-01-10T01:00:00Z'))).toBe(true);
    expect(isOpenAt(endsFriday9, at('2026-01-16T23:00:00Z'))).toBe(false);
  });

  it('exclude a session that starts the day before valid_from', () => {
    const fromSaturday10 = [rule(['FR', 'SA'], '22:00', '02:00', { validFrom: '2026-01-10' })];
    expect(isOpenAt(fromSaturday10, at('2026-01-10T01:00:00Z'))).toBe(false); // Friday 9th's session
    expect(isOpenAt(fromSaturday10, at('2026-01-10T22:30:00Z'))).toBe(true);
    expect(isOpenAt(fromSaturday10, at('2026-01-11T01:00:00Z'))).toBe(true);
  });

  it('are inclusive at both ends', () => {
    const tuesday6Only = [rule(['TU'], '10:00', '12:00', { validFrom: '2026-01-06', validTo: '2026-01-06' })];
    expect(isOpenAt(tuesday6Only, at('2026-01-06T10:30:00Z'))).toBe(true);
    expect(isOpenAt(tuesday6Only, at('2026-01-13T10:30:00Z'))).toBe(false);
  });
});

describe('clock changes', () => {
  it('reads the wall clock either side of the spring gap', () => {
    expect(localMoment(at('2026-03-29T00:59:00Z'))).toEqual({
      date: '2026-03-29',
      day: 'SU',
      time: '00:59',
      previousDate: '2026-03-28',
      previousDay: 'SA',
    });
    expect(localMoment(at('2026-03-29T01:00:00Z')).time).toBe('02:00');
  });

  it('reads 01:xx twice when the clocks go back', () => {
    expect(localMoment(at('2026-10-25T00:30:00Z')).time).toBe('01:30'); // BST
    expect(localMoment(at('2026-10-25T01:30:00Z')).time).toBe('01:30'); // GMT
    expect(localMoment(at('2026-10-24T23:30:00Z')).date).toBe('2026-10-25'); // 00:30 BST
  });

  it('shortens a Saturday night session to 3 hours in spring', () => {
    const saturdayLate = [rule(['SA'], '22:00', '02:00')];
    expect(isOpenAt(saturdayLate, at('2026-03-28T22:00:00Z'))).toBe(true);
    expect(isOpenAt(saturdayLate, at('2026-03-29T00:59:00Z'))).toBe(true);
    expect(isOpenAt(saturdayLate, at('2026-03-29T01:00:00Z'))).toBe(false); // 02:00 BST
    expect(currentSessionEnd(saturdayLate, at('2026-03-28T23:00:00Z'))).toEqual(at('2026-03-29T01:00:00Z'));
  });

  it('lengthens a Saturday night session to 5 hours in autumn', () => {
    const saturdayLate = [rule(['SA'], '22:00', '02:00')];
    const start = nextOpening(saturdayLate, at('2026-10-24T12:00:00Z'));
    expect(start).toEqual(at('2026-10-24T21:00:00Z')); // 22:00 BST
    expect(isOpenAt(saturdayLate, at('2026-10-25T00:30:00Z'))).toBe(true); // 01:30 BST
    expect(isOpenAt(saturdayLate, at('2026-10-25T01:30:00Z'))).toBe(true); // 01:30 GMT
    expect(isOpenAt(saturdayLate, at('2026-10-25T02:00:00Z'))).toBe(false); // 02:00 GMT
    const end = currentSessionEnd(saturdayLate, at('2026-10-24T21:30:00Z'));
    expect(end).toEqual(at('2026-10-25T02:00:00Z'));
    expect((end!.getTime() - start!.getTime()) / 3_600_000).toBe(5);
  });

  it('finds a daily opening at the new offset after the change', () => {
    const daily = [rule(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], '09:00', '17:00')];
    expect(nextOpening(daily, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-29T08:00:00Z'));
    expect(nextOpening(daily, at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-25T09:00:00Z'));
  });

  it('opens a rule that starts inside the spring gap at the end of the gap', () => {
    const sundayEarly = [rule(['SU'], '01:30', '03:00')];
    expect(nextOpening(sundayEarly, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-29T01:00:00Z'));
    expect(isOpenAt(sundayEarly, at('2026-03-29T00:59:00Z'))).toBe(false);
    expect(isOpenAt(sundayEarly, at('2026-03-29T01:00:00Z'))).toBe(true); // 02:00 BST
    expect(currentSessionEnd(sundayEarly, at('2026-03-29T01:00:00Z'))).toEqual(at('2026-03-29T02:00:00Z'));
  });

  it('never opens a session that lies wholly inside the spring gap', () => {
    const inTheGap = [rule(['SU'], '01:15', '01:45')];
    expect(isOpenAt(inTheGap, at('2026-03-29T01:00:00Z'))).toBe(false);
    expect(nextOpening(inTheGap, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-04-05T00:15:00Z'));
  });

  it('starts a repeated autumn time at its first (BST) occurrence', () => {
    const sundayEarly = [rule(['SU'], '01:30', '03:00')];
    expect(nextOpening(sundayEarly, at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-25T00:30:00Z'));
  });

  it('ends a session in the repeated hour at the next time the clock reads closesAt', () => {
    const saturdayLate = [rule(['SA'], '22:00', '01:30')];
    expect(currentSessionEnd(saturdayLate, at('2026-10-24T22:00:00Z'))).toEqual(at('2026-10-25T00:30:00Z'));
    // The wall clock reads 01:15 again an hour later, and the rule reads open again.
    expect(currentSessionEnd(saturdayLate, at('2026-10-25T01:15:00Z'))).toEqual(at('2026-10-25T01:30:00Z'));
  });
});

describe('nextOpening', () => {
  const tuesdaySplit = [rule(['TU'], '10:00', '12:00'), rule(['TU'], '14:00', '16:00')];

  it('finds a later session the same day', () => {
    expect(nextOpening(tuesdaySplit, at('2026-01-06T11:00:00Z'))).toEqual(at('2026-01-06T14:00:00Z'));
  });

  it('finds next week once today is over', () => {
    expect(nextOpening(tuesdaySplit, at('2026-01-06T15:00:00Z'))).toEqual(at('2026-01-13T10:00:00Z'));
  });

  it('is strictly after: an instant that is a start returns the next start', () => {
    expect(nextOpening(tuesdaySplit, at('2026-01-06T10:00:00Z'))).toEqual(at('2026-01-06T14:00:00Z'));
    expect(nextOpening(tuesdaySplit, at('2026-01-06T14:00:00Z'))).toEqual(at('2026-01-13T10:00:00Z'));
  });

  it('skips sessions outside a rule’s validity', () => {
    const fromThe20th = [rule(['TU'], '10:00', '12:00', { validFrom: '2026-01-20' })];
    // Tuesday 13th is skipped; the 20th is 13 days 21 hours away, inside the 14-day horizon.
    expect(nextOpening(fromThe20th, at('2026-01-06T13:00:00Z'))).toEqual(at('2026-01-20T10:00:00Z'));
  });

  it('is null with no rules, with all rules expired, or beyond the horizon', () => {
    expect(nextOpening([], at('2026-01-06T09:00:00Z'))).toBeNull();
    const expired = [rule(['TU'], '10:00', '12:00', { validTo: '2025-12-31' })];
    expect(nextOpening(expired, at('2026-01-06T09:00:00Z'))).toBeNull();
    expect(nextOpening(tuesdaySplit, at('2026-01-06T15:00:00Z'), 6)).toBeNull();
    expect(nextOpening([rule(['TU'], '10:00', '10:00')], at('2026-01-06T09:00:00Z'))).toBeNull();
  });

  it('finds the start of an overnight session', () => {
    expect(nextOpening([rule(['FR'], '22:00', '02:00')], at('2026-07-07T09:00:00Z'))).toEqual(at('2026-07-10T21:00:00Z'));
  });
});

describe('currentSessionEnd', () => {
  it('is when a same-day session closes', () => {
    const tuesdayMorning = [rule(['TU'], '10:00', '12:00')];
    expect(currentSessionEnd(tuesdayMorning, at('2026-07-07T09:30:00Z'))).toEqual(at('2026-07-07T11:00:00Z'));
  });

  it('is null when closed', () => {
    expect(currentSessionEnd([rule(['TU'], '10:00', '12:00')], at('2026-07-07T11:00:00Z'))).toBeNull();
  });

  it('is the next morning for an overnight session, from either side of midnight', () => {
    const fridayLate = [rule(['FR'], '22:00', '02:00')];
    expect(currentSessionEnd(fridayLate, at('2026-01-09T23:00:00Z'))).toEqual(at('2026-01-10T02:00:00Z'));
    expect(currentSessionEnd(fridayLate, at('2026-01-10T01:00:00Z'))).toEqual(at('2026-01-10T02:00:00Z'));
  });

  it('takes the latest-closing of overlapping sessions', () => {
    const overlapping = [rule(['TU'], '10:00', '12:00'), rule(['TU'], '11:00', '13:00')];
    expect(currentSessionEnd(overlapping, at('2026-01-06T11:30:00Z'))).toEqual(at('2026-01-06T13:00:00Z'));
  });
});

describe('openAtSql', () => {
  it('keeps the alias to a plain identifier', () => {
    expect(() => openAtSql(localMoment(at('2026-01-06T10:00:00Z')), 'sch; drop table schedule')).toThrow();
  });

  it('selects exactly the rows isOpenAt calls open, across 2026', async () => {
    const random = seededRandom(20260101);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
    // Dates that both the validity windows and the instants land on, so the edges are exercised.
    const keyDates = ['2026-01-01', '2026-01-09', '2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30',
      '2026-06-30', '2026-07-01', '2026-10-24', '2026-10-25', '2026-10-26', '2026-12-31'];
    const anyDate = () => new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 365) * 86_400_000).toISOString().slice(0, 10);
    const someDate = () => (random() < 0.6 ? pick(keyDates) : anyDate());
    const quarterHour = () => `${String(Math.floor(random() * 24)).padStart(2, '0')}:${pick(['00', '15', '30', '45'])}`;

    const rules: OpeningRule[] = Array.from({ length: 300 }, () => {
      const opensAt = quarterHour();
      const shape = random();
      const closesAt = shape < 0.1 ? '00:00' : shape < 0.15 ? opensAt : quarterHour();
      const [from, to] = [someDate(), someDate()].sort();
      return {
        days: days.filter(() => random() < 0.35),
        opensAt,
        closesAt,
        validFrom: random() < 0.3 ? from : null,
        validTo: random() < 0.3 ? to : null,
      };
    });

    const instants: Date[] = [];
    // Every 15 minutes across both clock changes, local midnight included.
    for (const start of [Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 9, 24, 20)]) {
      for (let t = start; t <= start + 8 * 3_600_000; t += 15 * 60_000) instants.push(new Date(t));
    }
    while (instants.length < 400) {
      const midnight = random() < 0.2;
      const date = someDate();
      const utcHour = midnight ? 0 : Math.floor(random() * 24);
      const minute = midnight ? 0 : random() < 0.7 ? pick([0, 15, 30, 45]) : Math.floor(random() * 60);
      // Local midnight is 23:00Z the day before in summer; 00:00Z in winter.
      const ms = Date.parse(`${date}T${String(utcHour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`);
      instants.push(new Date(midnight && localMoment(new Date(ms)).time !== '00:00' ? ms - 3_600_000 : ms));
    }

    const db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    try {
      await db.schema.createTable('schedule', (table) => {
        table.integer('id').primary();
        table.text('days');
        table.text('opens_at');
        table.text('closes_at');
        table.text('valid_from');
        table.text('valid_to');
      });
      await db('schedule').insert(
        rules.map((r, index) => ({
          id: index + 1,
          days: encodeEnumSet(r.days),
          opens_at: r.opensAt,
          closes_at: r.closesAt,
          valid_from: r.validFrom,
          valid_to: r.validTo,
        })),
      );

      const mismatches: string[] = [];
      let openPairs = 0;
      let pastMidnightPairs = 0;
      for (const instant of instants) {
        const moment = localMoment(instant);
        const { sql, bindings } = openAtSql(moment);
        const rows: { id: number }[] = await db('schedule as sch').select('sch.id').whereRaw(sql, bindings).orderBy('sch.id');
        const fromSql = rows.map((row) => row.id);
        const fromJs = rules.flatMap((r, index) => (isOpenAt([r], instant) ? [index + 1] : []));
        if (JSON.stringify(fromSql) !== JSON.stringify(fromJs)) {
          mismatches.push(`${instant.toISOString()}: sql ${fromSql.join(',')} js ${fromJs.join(',')}`);
        }
        openPairs += fromJs.length;
        pastMidnightPairs += fromJs.filter((id) => rules[id - 1].closesAt > moment.time && rules[id - 1].closesAt < rules[id - 1].opensAt).length;
      }

      expect(instants).toHaveLength(400);
      expect(mismatches).toEqual([]);
      // The comparison means something only if both answers, and both branches, occur.
      expect(openPairs).toBeGreaterThan(1_000);
      expect(openPairs).toBeLessThan(rules.length * instants.length / 2);
      expect(pastMidnightPairs).toBeGreaterThan(50);
    } finally {
      await db.destroy();
    }
  });
});

describe('the numeric implementation', () => {
  // 2026 and 2027 clock changes: forward 29 Mar 2026 and 28 Mar 2027, back 25 Oct 2026 and 31 Oct 2027.
  const changeDays = ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'];

  it('gives the same answers as the luxon reference over random rules and instants, 2026-2027', () => {
    const random = seededRandom(20270331);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
    const day0 = Date.UTC(2026, 0, 1);
    const anyDate = () => new Date(day0 + Math.floor(random() * 730) * 86_400_000).toISOString().slice(0, 10);
    const nearChange = () => {
      const date = Date.parse(`${pick(changeDays)}T00:00:00Z`) + (Math.floor(random() * 5) - 2) * 86_400_000;
      return new Date(date).toISOString().slice(0, 10);
    };
    const time = () =>
      `${String(Math.floor(random() * 24)).padStart(2, '0')}:${pick(['00', '15', '30', '45', '59', String(Math.floor(random() * 60)).padStart(2, '0')])}`;
    // Early-morning times land in or next to the missing and repeated hours.
    const earlyTime = () => `0${pick([0, 1, 1, 1, 2])}:${pick(['00', '01', '15', '30', '45', '59'])}`;
    const someTime = () => (random() < 0.3 ? earlyTime() : time());

    const ruleSets: OpeningRule[][] = Array.from({ length: 600 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
        const opensAt = someTime();
        const shape = random();
        const closesAt = shape < 0.1 ? '00:00' : shape < 0.13 ? opensAt : shape < 0.15 ? '23:59' : someTime();
        const date = () => (random() < 0.5 ? nearChange() : anyDate());
        const [from, to] = [date(), date()].sort();
        return {
          days: days.filter(() => random() < 0.4),
          opensAt,
          closesAt,
          validFrom: random() < 0.25 ? from : null,
          validTo: random() < 0.25 ? to : null,
        };
      }),
    );

    let compared = 0;
    let found = 0;
    let open = 0;
    let onChangeDays = 0;
    const mismatches: string[] = [];
    for (const rules of ruleSets) {
      for (let k = 0; k < 6; k++) {
        // Half the instants within a day or so of a clock change, on the minute or the second.
        const base = random() < 0.5
          ? Date.parse(`${nearChange()}T00:00:00Z`) + Math.floor(random() * 96) * 15 * 60_000 - 3_600_000
          : day0 + Math.floor(random() * 730 * 96) * 15 * 60_000;
        const instant = new Date(base + (random() < 0.2 ? Math.floor(random() * 900) * 1000 : 0));
        if (changeDays.includes(refLocalMoment(instant).date)) onChangeDays++;
        const horizon = random() < 0.15 ? pick([0, 1, 6, 7]) : 14;
        const got = {
          next: nextOpening(rules, instant, horizon)?.toISOString() ?? null,
          open: isOpenAt(rules, instant),
          end: currentSessionEnd(rules, instant)?.toISOString() ?? null,
          moment: localMoment(instant),
        };
        const want = {
          next: refNextOpening(rules, instant, horizon)?.toISOString() ?? null,
          open: refIsOpenAt(rules, instant),
          end: refCurrentSessionEnd(rules, instant)?.toISOString() ?? null,
          moment: refLocalMoment(instant),
        };
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push(`${instant.toISOString()} h=${horizon} ${JSON.stringify(rules)}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
        }
        compared++;
        if (want.next !== null) found++;
        if (want.open) open++;
      }
    }

    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(compared).toBe(3_600);
    // Both answers, and the clock-change days, must actually occur.
    expect(found).toBeGreaterThan(2_000);
    expect(compared - found).toBeGreaterThan(100);
    expect(open).toBeGreaterThan(300);
    expect(onChangeDays).toBeGreaterThan(300);
  });

  it('reads every HH:mm time as the reference does', () => {
    const hhmm = (minute: number) => `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    const mismatches: string[] = [];
    // Winter and summer, and the Saturday before each 2026 clock change, so some sessions cross it.
    for (const instant of [at('2026-01-05T12:00:00Z'), at('2026-07-06T12:00:00Z'), at('2026-03-28T12:00:00Z'), at('2026-10-24T12:00:00Z')]) {
      for (let minute = 0; minute < 24 * 60; minute++) {
        // Sessions 7h13m long: a third of them run past midnight, some close at exactly 00:00.
        const rules = [rule(['SA', 'SU', 'TU'], hhmm(minute), hhmm(minute + 433))];
        const start = nextOpening(rules, instant);
        const inside = start && new Date(start.getTime() + 60_000);
        const got = [start?.getTime(), inside && currentSessionEnd(rules, inside)?.getTime()];
        const want = [refNextOpening(rules, instant)?.getTime(), inside && refCurrentSessionEnd(rules, inside)?.getTime()];
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${instant.toISOString()} ${JSON.stringify(rules[0])}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('reads every minute of both 2026 clock-change days as the reference does', () => {
    const sundayEarly = [rule(['SA'], '23:30', '01:30'), rule(['SU'], '01:00', '02:00'), rule(['SU'], '01:30', '03:00')];
    const mismatches: string[] = [];
    for (const start of [Date.UTC(2026, 2, 28, 22), Date.UTC(2026, 9, 24, 22)]) {
      for (let t = start; t <= start + 6 * 3_600_000; t += 60_000) {
        const instant = new Date(t);
        const got = [nextOpening(sundayEarly, instant)?.getTime(), isOpenAt(sundayEarly, instant), currentSessionEnd(sundayEarly, instant)?.getTime(), localMoment(instant)];
        const want = [refNextOpening(sundayEarly, instant)?.getTime(), refIsOpenAt(sundayEarly, instant), refCurrentSessionEnd(sundayEarly, instant)?.getTime(), refLocalMoment(instant)];
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(instant.toISOString());
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/*
 * The reference: the earlier luxon-based implementation, kept verbatim
 * (less the SQL) so the numeric one can be held to it.
 */
const REF_ZONE = 'Europe/London';
const refZone = IANAZone.create(REF_ZONE);
const REF_DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const REF_MINUTE_MS = 60_000;
const REF_DAY_MS = 24 * 60 * REF_MINUTE_MS;
type RefMoment = ReturnType<typeof localMoment>;

function refLocalMoment(instant: Date): RefMoment {
  const local = DateTime.fromJSDate(instant, { zone: REF_ZONE });
  if (!local.isValid) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return {
    date: local.toISODate()!,
    day: REF_DAY_CODES[local.weekday - 1],
    time: local.toFormat('HH:mm'),
    previousDate: refAddDays(local.toISODate()!, -1),
    previousDay: REF_DAY_CODES[(local.weekday + 5) % 7],
  };
}

function refIsOpenAt(rules: OpeningRule[], instant: Date): boolean {
  const moment = refLocalMoment(instant);
  return rules.some((r) => refOpenSessionStart(r, moment) !== null);
}

function refCurrentSessionEnd(rules: OpeningRule[], instant: Date): Date | null {
  const moment = refLocalMoment(instant);
  let latest: number | null = null;
  for (const r of rules) {
    const startDate = refOpenSessionStart(r, moment);
    if (startDate === null) continue;
    const candidates = refWallClockInstants(refSessionEndDate(r, startDate), r.closesAt);
    const end = candidates.find((t) => t > instant.getTime()) ?? candidates[candidates.length - 1];
    if (latest === null || end > latest) latest = end;
  }
  return latest === null ? null : new Date(latest);
}

function refNextOpening(rules: OpeningRule[], instant: Date, horizonDays = 14): Date | null {
  const after = instant.getTime();
  const limit = after + horizonDays * REF_DAY_MS;
  const today = refLocalMoment(instant).date;
  let earliest: number | null = null;
  for (let offset = 0; offset <= horizonDays; offset++) {
    const date = refAddDays(today, offset);
    const day = REF_DAY_CODES[DateTime.fromISO(date, { zone: 'utc' }).weekday - 1];
    for (const r of rules) {
      if (!r.days.includes(day) || !refIsValidOn(r, date) || r.closesAt === r.opensAt) continue;
      const start = refWallClockInstants(date, r.opensAt)[0];
      if (start <= after || start > limit) continue;
      const endsAfterStart = refWallClockInstants(refSessionEndDate(r, date), r.closesAt).some((t) => t > start);
      if (!endsAfterStart) continue;
      if (earliest === null || start < earliest) earliest = start;
    }
  }
  return earliest === null ? null : new Date(earliest);
}

function refOpenSessionStart(r: OpeningRule, moment: RefMoment): string | null {
  const { opensAt, closesAt } = r;
  const overnight = closesAt < opensAt;
  const startedToday =
    r.days.includes(moment.day) && opensAt <= moment.time && (closesAt > moment.time || overnight) && refIsValidOn(r, moment.date);
  if (startedToday) return moment.date;
  const startedYesterday =
    r.days.includes(moment.previousDay) && overnight && closesAt > moment.time && refIsValidOn(r, moment.previousDate);
  return startedYesterday ? moment.previousDate : null;
}

function refIsValidOn(r: OpeningRule, date: string): boolean {
  return (r.validFrom == null || r.validFrom <= date) && (r.validTo == null || r.validTo >= date);
}

function refSessionEndDate(r: OpeningRule, startDate: string): string {
  return r.closesAt > r.opensAt ? startDate : refAddDays(startDate, 1);
}

function refWallClockInstants(date: string, time: string): number[] {
  const naive = DateTime.fromISO(`${date}T${time}`, { zone: 'utc' }).toMillis();
  const offsetBefore = refZone.offset(naive - REF_DAY_MS);
  const offsetAfter = refZone.offset(naive + REF_DAY_MS);
  const instants = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => naive - offset * REF_MINUTE_MS)
    .filter((t) => refZone.offset(t) === (naive - t) / REF_MINUTE_MS)
    .sort((a, b) => a - b);
  if (instants.length > 0) return instants;
  let lo = naive - offsetAfter * REF_MINUTE_MS;
  let hi = naive - offsetBefore * REF_MINUTE_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (refZone.offset(mid) === offsetBefore) lo = mid;
    else hi = mid;
  }
  return [hi];
}

function refAddDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;
}

