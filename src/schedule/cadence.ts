import { CronExpressionParser } from 'cron-parser';
import type { Lang } from '../facilitation/types.js';

/** Named cadences, all at 10:00 in the campaign's time zone. */
export const CADENCE_PRESETS = {
  daily: '0 10 * * *',
  weekdays: '0 10 * * 1-5',
  'twice-weekly': '0 10 * * 2,4',
  weekly: '0 10 * * 2',
} as const;

export type CadencePreset = keyof typeof CADENCE_PRESETS;
export const DEFAULT_CADENCE: CadencePreset = 'twice-weekly';
/** The weekly digest: Monday 09:00. */
export const DEFAULT_DIGEST_CRON = '0 9 * * 1';

function isPreset(value: string): value is CadencePreset {
  return Object.hasOwn(CADENCE_PRESETS, value);
}

/** A preset name (any case) or a standard 5-field cron pattern; anything else is refused. */
export function parseCadence(input: string): { ok: true; cadence: string; cron: string } | { ok: false } {
  const value = input.trim();
  const preset = value.toLowerCase();
  if (isPreset(preset)) return { ok: true, cadence: preset, cron: CADENCE_PRESETS[preset] };
  const fields = value.split(/\s+/);
  // Seconds and years (6 or 7 fields) would let a campaign post every second: refused.
  if (fields.length !== 5 || value.length > 100) return { ok: false };
  try {
    CronExpressionParser.parse(value, { strict: false });
  } catch {
    return { ok: false };
  }
  return { ok: true, cadence: fields.join(' '), cron: fields.join(' ') };
}

export function cronOf(cadence: string): string {
  return isPreset(cadence) ? CADENCE_PRESETS[cadence] : cadence;
}

/** IANA zone names that Intl knows (e.g. Europe/Paris, America/Montreal, UTC). */
export function isValidTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The first run strictly after `after`, in the zone's local time (DST included). */
export function nextRun(cadence: string, tz: string, after: Date): Date {
  const expression = CronExpressionParser.parse(cronOf(cadence), { tz, currentDate: after });
  return expression.next().toDate();
}

/** The runs in (from, to], at most `limit`: how many ticks were missed during downtime. */
export function runsBetween(cadence: string, tz: string, from: Date, to: Date, limit = 1000): Date[] {
  const expression = CronExpressionParser.parse(cronOf(cadence), { tz, currentDate: from, endDate: to });
  const runs: Date[] = [];
  while (runs.length < limit && expression.hasNext()) runs.push(expression.next().toDate());
  return runs;
}

const DAY_MS = 24 * 3600 * 1000;

/** Half-way through the open window, but never more than 24 h before the question closes. */
export function reminderAt(openedAt: Date, closesAt: Date): Date {
  const window = closesAt.getTime() - openedAt.getTime();
  const lead = Math.min(window / 2, DAY_MS);
  return new Date(closesAt.getTime() - lead);
}

const PRESET_WORDS: Record<Lang, Record<CadencePreset, string>> = {
  fr: {
    daily: 'chaque jour à 10:00',
    weekdays: 'du lundi au vendredi à 10:00',
    'twice-weekly': 'deux fois par semaine, le mardi et le jeudi à 10:00',
    weekly: 'chaque semaine, le mardi à 10:00',
  },
  en: {
    daily: 'every day at 10:00',
    weekdays: 'Monday to Friday at 10:00',
    'twice-weekly': 'twice a week, Tuesday and Thursday at 10:00',
    weekly: 'every week, Tuesday at 10:00',
  },
};

/** The cadence in words, for posts and status. */
export function describeCadence(cadence: string, lang: Lang): string {
  if (isPreset(cadence)) return PRESET_WORDS[lang][cadence];
  return lang === 'fr' ? `selon le motif cron « ${cadence} »` : `on the cron pattern “${cadence}”`;
}
