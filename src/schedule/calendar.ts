import { dateFormat } from '../intl-cache.js';
import { nextRun } from './cadence.js';

/** A span of days off, both ends included, as local calendar dates (`YYYY-MM-DD`). */
export interface Holiday {
  from: string;
  to: string;
}

/** The days a campaign does not open or close a round on: ISO weekdays (1 Monday … 7 Sunday) and holidays. */
export interface QuietCalendar {
  quietDays?: number[];
  holidays?: Holiday[];
}

/** Day names people type, in both languages, each to its ISO weekday. */
const DAY_NAMES: Record<string, number> = {
  mon: 1,
  monday: 1,
  lun: 1,
  lundi: 1,
  tue: 2,
  tuesday: 2,
  mar: 2,
  mardi: 2,
  wed: 3,
  wednesday: 3,
  mer: 3,
  mercredi: 3,
  thu: 4,
  thursday: 4,
  jeu: 4,
  jeudi: 4,
  fri: 5,
  friday: 5,
  ven: 5,
  vendredi: 5,
  sat: 6,
  saturday: 6,
  sam: 6,
  samedi: 6,
  sun: 7,
  sunday: 7,
  dim: 7,
  dimanche: 7,
};

/** How many holiday spans a campaign keeps, and how long one may be: a calendar, not a second schedule. */
export const MAX_HOLIDAYS = 20;
const MAX_HOLIDAY_DAYS = 366;

/** `sat,sun` (English or French names, any case) to sorted ISO weekdays; `none` to none; else undefined. */
export function parseQuietDays(input: string): number[] | undefined {
  const value = input.trim().toLowerCase();
  if (value === 'none' || value === 'aucun') return [];
  const days = new Set<number>();
  for (const name of value.split(',')) {
    const day = DAY_NAMES[name.trim()];
    if (day === undefined) return undefined;
    days.add(day);
  }
  // Every day quiet would leave no run at all.
  if (days.size === 0 || days.size === 7) return undefined;
  return [...days].sort((a, b) => a - b);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written `YYYY-MM-DD` (no 30 February). */
export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** `2026-12-24..2027-01-02` or one day `2026-12-25`; undefined when it is not a span of real dates in order. */
export function parseHoliday(input: string): Holiday | undefined {
  const [from = '', to = from, ...rest] = input.trim().split('..');
  if (rest.length > 0 || !isDate(from) || !isDate(to) || to < from) return undefined;
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  return days > MAX_HOLIDAY_DAYS ? undefined : { from, to };
}

/** Sorted, without spans given twice; the latest ones kept when there are too many. */
export function mergeHolidays(kept: readonly Holiday[], added: readonly Holiday[]): Holiday[] {
  const byKey = new Map<string, Holiday>();
  for (const h of [...kept, ...added]) byKey.set(`${h.from}..${h.to}`, h);
  const sorted = [...byKey.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return sorted.slice(-MAX_HOLIDAYS);
}

/** The local date and ISO weekday of an instant in a zone. */
export function localDay(at: Date, tz: string): { date: string; weekday: number } {
  const format = dateFormat('en-US', tz, 'localDay');
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = DAY_NAMES[(parts.weekday ?? '').toLowerCase()] ?? 0;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday };
}

/** Whether an instant falls on a quiet day or a holiday in the campaign's zone. */
export function isQuiet(calendar: QuietCalendar, tz: string, at: Date): boolean {
  if (!calendar.quietDays?.length && !calendar.holidays?.length) return false;
  const { date, weekday } = localDay(at, tz);
  if (calendar.quietDays?.includes(weekday)) return true;
  return calendar.holidays?.some((h) => h.from <= date && date <= h.to) ?? false;
}

/** Runs looked at before giving up: daily over two years of holidays, or years of a weekly cadence. */
const MAX_RUNS_SEARCHED = 800;

/**
 * The first run of the cadence after `after` that is not on a quiet day or holiday, in the zone's local
 * time (DST included). Undefined when there is none within reach. Throws on a bad cadence.
 */
export function nextAllowedRun(
  calendar: QuietCalendar & { cadence: string; tz: string },
  after: Date,
): Date | undefined {
  let at = after;
  for (let i = 0; i < MAX_RUNS_SEARCHED; i++) {
    at = nextRun(calendar.cadence, calendar.tz, at);
    if (!isQuiet(calendar, calendar.tz, at)) return at;
  }
  return undefined;
}
