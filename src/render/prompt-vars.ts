import { type Lang, MAX_ANSWER_LENGTH } from '../facilitation/types.js';
import { describeCadence } from '../schedule/cadence.js';
import { type Holiday, parseHoliday } from '../schedule/calendar.js';
import type { PromptKey } from './message-keys.js';
import { holidaysWords, quietDaysWords } from './view-helpers.js';

type Vars = Record<string, string | number>;

/**
 * The variables each notice, reply and error prompt may use beyond the formatting lambdas. Callers
 * (the machine, the command parser, the engine) pass some of them; the rest default here, so a
 * forgotten var shows as an empty place rather than a failed reply. Prompts hide empty ones with
 * `{{#name}}…{{/name}}`.
 */
/**
 * What a schedule says: the machine passes `cadence`, `tz`, `quiet` (ISO weekdays, comma-separated),
 * `holidays` (`from..to` spans, comma-separated) and `reminder` (hours, 0 = off); the words are made here.
 */
const SCHEDULE_VARS: Vars = {
  cadence: '',
  tz: '',
  cadenceWords: '',
  quiet: '',
  quietWords: '',
  holidays: '',
  holidayWords: '',
  reminder: '',
  reminderOff: '',
};

export const PROMPT_VARS: Partial<Record<PromptKey, Vars>> = {
  'notice-skipped': { blockId: '', blockTitle: '' },
  'notice-round-skipped': { roundId: '', roundTitle: '' },
  'notice-schedule': { ...SCHEDULE_VARS },
  'reply-schedule': { ...SCHEDULE_VARS },
  'reply-remind-on': { hours: 24 },
  'reply-started': { workshop: 0 },
  'reply-next': { workshop: 0 },
  'reply-skipped': { workshop: 0 },
  'error-invalid-quiet-days': { value: '' },
  'error-invalid-holiday': { value: '' },
  'error-invalid-reminder': { value: '' },
  'error-remind-me-full': { max: '' },
  'reply-statement-written': { blockId: '', blockTitle: '', closesAt: '' },
  'reply-statement-revised': { blockId: '', blockTitle: '', version: '' },
  'reply-stance-consent': { blockId: '', blockTitle: '' },
  'reply-stance-concern': { blockId: '', blockTitle: '' },
  'reply-stance-objection': { blockId: '', blockTitle: '' },
  'reply-action-added': { blockId: '', blockTitle: '', what: '', who: '', due: '' },
  'reply-action-stance-consent': { what: '' },
  'reply-action-stance-concern': { what: '' },
  'reply-action-stance-objection': { what: '' },
  'error-statement-too-long': { max: '', length: '' },
  'error-unknown-block': { blockId: '' },
  'reply-export': { format: '' },
  'reply-forget-confirm': { answers: 0, campaigns: 0 },
  'reply-forgotten': { answers: 0, campaigns: 0, queued: 0 },
  'error-invalid-cadence': { value: '' },
  'error-invalid-timezone': { value: '' },
  'error-invalid-language': { value: '' },
  'error-invalid-format': { value: '' },
  'error-unknown-subcommand': { subcommand: '' },
  'error-bad-argument': { argument: '' },
  'error-bad-template': { file: '', path: '', problem: '' },
  'error-campaign-unreadable': { problem: '' },
  'error-answer-too-long': { max: MAX_ANSWER_LENGTH, length: '' },
};

/** The caller's vars over the defaults, plus the cadence in words when a cadence is given. */
export function completeVars(key: PromptKey, vars: Vars, lang: Lang): Vars {
  const complete: Vars = { ...PROMPT_VARS[key], ...vars };
  if (typeof complete.cadence === 'string' && complete.cadence !== '' && 'cadenceWords' in complete) {
    complete.cadenceWords = describeCadence(complete.cadence, lang);
  }
  // Words only from values the machine wrote; anything else is shown as it came.
  if (typeof complete.quiet === 'string' && complete.quiet !== '' && 'quietWords' in complete) {
    const days = complete.quiet.split(',').map(Number);
    const valid = days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7);
    complete.quietWords = valid ? quietDaysWords(days, lang) : complete.quiet;
  }
  if (typeof complete.holidays === 'string' && complete.holidays !== '' && 'holidayWords' in complete) {
    const spans = complete.holidays.split(',').map(parseHoliday);
    complete.holidayWords = spans.every((h) => h !== undefined)
      ? holidaysWords(spans as Holiday[], lang)
      : complete.holidays;
  }
  if ('reminderOff' in complete) complete.reminderOff = complete.reminder === 0 ? 'off' : '';
  return complete;
}
