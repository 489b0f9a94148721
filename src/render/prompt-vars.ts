import { type Lang, MAX_ANSWER_LENGTH } from '../facilitation/types.js';
import { describeCadence } from '../schedule/cadence.js';
import type { PromptKey } from './message-keys.js';

type Vars = Record<string, string | number>;

/**
 * The variables each notice, reply and error prompt may use beyond the formatting lambdas. Callers
 * (the machine, the command parser, the engine) pass some of them; the rest default here, so a
 * forgotten var shows as an empty place rather than a failed reply. Prompts hide empty ones with
 * `{{#name}}…{{/name}}`.
 */
export const PROMPT_VARS: Partial<Record<PromptKey, Vars>> = {
  'notice-skipped': { blockId: '', blockTitle: '' },
  'notice-round-skipped': { roundId: '', roundTitle: '' },
  'notice-schedule': { cadence: '', tz: '', cadenceWords: '' },
  'reply-schedule': { cadence: '', tz: '', cadenceWords: '' },
  'reply-export': { format: '' },
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
  return complete;
}
