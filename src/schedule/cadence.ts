import { CronExpressionParser } from 'cron-parser';
import type { Lang } from '../facilitation/types.js';
import { dateFormat } from '../intl-cache.js';

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

const MAX_CRON_LENGTH = 100;

export function isPreset(value: string): value is CadencePreset {
  return Object.hasOwn(CADENCE_PRESETS, value);
}

/** A preset name (any case) or a standard 5-field cron pattern; anything else is refused. */
export function parseCadence(input: string): { ok: true; cadence: string; cron: string } | { ok: false } {
  const value = input.trim();
  const preset = value.toLowerCase();
  if (isPreset(preset)) return { ok: true, cadence: preset, cron: CADENCE_PRESETS[preset] };
  const fields = value.split(/\s+/);
  // Seconds and years (6 or 7 fields) would let a campaign post every second: refused.
  if (fields.length !== 5 || value.length > MAX_CRON_LENGTH) return { ok: false };
  const cron = fields.join(' ');
  try {
    // Computing one run also refuses patterns that parse but can never fire (e.g. 30 February).
    CronExpressionParser.parse(cron, { strict: false, tz: 'UTC', currentDate: new Date(0) }).next();
  } catch {
    return { ok: false };
  }
  return { ok: true, cadence: cron, cron };
}

/** The cron pattern of a cadence: a preset's pattern, or the pattern itself. */
export function cronOf(cadence: string): string {
  return isPreset(cadence) ? CADENCE_PRESETS[cadence] : cadence;
}

/**
 * IANA zone names that Intl knows (e.g. Europe/Paris, America/Montreal, UTC), in any case. Offsets
 * such as `+02:00` are refused: Node 20's Intl rejects them, and a fixed offset would drift from local
 * time at every DST change anyway.
 */
export function isValidTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64 || /^[+-]/.test(tz)) return false;
  try {
    dateFormat('en', tz, 'zone');
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone's usual spelling (`europe/paris` -> `Europe/Paris`), keeping the name the user chose when
 * it is an alias (`America/Montreal` stays, though ICU resolves it to America/Toronto).
 * Returns undefined for an invalid zone.
 */
export function canonicalTimeZone(tz: string): string | undefined {
  const name = tz.trim();
  if (!isValidTimeZone(name)) return undefined;
  const resolved = dateFormat('en', name, 'zone').resolvedOptions().timeZone;
  if (resolved.toLowerCase() === name.toLowerCase()) return resolved;
  const known = Intl.supportedValuesOf('timeZone').find((z) => z.toLowerCase() === name.toLowerCase());
  return known ?? name;
}

/** The first run strictly after `after`, in the zone's local time (DST included). Throws on a bad cadence. */
export function nextRun(cadence: string, tz: string, after: Date): Date {
  const schedule = `${cadence}|${tz}`;
  const at = after.getTime();
  const known = knownRun(schedule, at);
  if (known !== undefined) return new Date(known);
  const expression = CronExpressionParser.parse(cronOf(cadence), { tz, currentDate: after });
  const run = expression.next().toDate();
  remember(schedule, at, run.getTime());
  return run;
}

/**
 * Runs already worked out, per cadence and zone: the run found after `from`, by `from`. It is also the
 * first run after any instant between `from` and itself. Computing one with the cron parser (and
 * luxon's zone offsets) costs tens of microseconds; `status` projects a plan of up to 29 rounds, each
 * from the run before (an exact hit), from the same runs each time.
 */
const knownRuns = new Map<string, Map<number, number>>();
const RUNS_KEPT_PER_SCHEDULE = 128;
const SCHEDULES_KEPT = 1000;

function knownRun(schedule: string, at: number): number | undefined {
  const runs = knownRuns.get(schedule);
  if (!runs) return undefined;
  const exact = runs.get(at);
  if (exact !== undefined) return exact;
  for (const [from, run] of runs) if (from <= at && at < run) return run;
  return undefined;
}

function remember(schedule: string, from: number, run: number): void {
  let runs = knownRuns.get(schedule);
  if (!runs) {
    // A Map iterates in insertion order: the first entry is the oldest.
    if (knownRuns.size >= SCHEDULES_KEPT) knownRuns.delete(knownRuns.keys().next().value as string);
    runs = new Map();
    knownRuns.set(schedule, runs);
  }
  if (runs.size >= RUNS_KEPT_PER_SCHEDULE) runs.delete(runs.keys().next().value as number);
  runs.set(from, run);
}

/** The runs in (from, to], at most `limit`: how many ticks were missed during downtime. */
export function runsBetween(cadence: string, tz: string, from: Date, to: Date, limit = 1000): Date[] {
  if (to.getTime() <= from.getTime() || limit <= 0) return [];
  const expression = CronExpressionParser.parse(cronOf(cadence), { tz, currentDate: from, endDate: to });
  const runs: Date[] = [];
  while (runs.length < limit && expression.hasNext()) runs.push(expression.next().toDate());
  return runs;
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

/** The cadence in words, for posts and status; a preset's own pattern reads like the preset. */
export function describeCadence(cadence: string, lang: Lang): string {
  const preset = isPreset(cadence)
    ? cadence
    : (Object.keys(CADENCE_PRESETS) as CadencePreset[]).find((p) => CADENCE_PRESETS[p] === cadence);
  if (preset) return PRESET_WORDS[lang][preset];
  return lang === 'fr' ? `selon le motif cron \`${cadence}\`` : `on the cron pattern \`${cadence}\``;
}
