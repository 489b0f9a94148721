import type { EphemeralReply, UserErrorId } from '../../src/index.js';
import { HttpError } from './http-error.js';

/**
 * The HTTP status of a refusal the core made, by its error id. Whatever is not listed is bad input
 * (a value the core could not read): 400. A refusal about the state of things (ended, not running,
 * no such question any more) is a conflict: 409, so a caller can tell "fix what you sent" from "too late".
 */
const STATUS: Partial<Record<UserErrorId, number>> = {
  'not-admin': 403,
  'no-campaign': 409,
  'already-running': 409,
  'not-running': 409,
  'not-paused': 409,
  'already-paused': 409,
  'campaign-ended': 409,
  'no-open-question': 409,
  'no-more-questions': 409,
  'unknown-question': 409,
  'unknown-answer': 409,
  'remind-me-full': 409,
  // A shared statement moved on since the button was drawn, or the block is not the campaign's.
  'no-statement': 409,
  'statement-revised': 409,
  'consent-closed': 409,
  'unknown-block': 409,
  // Neither is the caller's doing: the same request may succeed later, or needs an operator.
  busy: 503,
  internal: 500,
  'campaign-unreadable': 500,
};

/**
 * A refused press or submission as the API answers every refusal, `{"ok":false,"error","message"}`,
 * with the core's error id and words; `refused` when the core gave no id.
 */
export function refusalError(reply: EphemeralReply): HttpError {
  const status = (reply.error && STATUS[reply.error]) || 400;
  return new HttpError(status, reply.error ?? 'refused', reply.text);
}
