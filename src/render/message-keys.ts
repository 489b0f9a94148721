import type { UserErrorId } from '../facilitation/types.js';

/**
 * Every message the bot can send, one mustache file per key under prompts/<lang>/<key>.mustache.
 * Both languages must have exactly this set (a test checks it).
 */
export const POST_KEYS = [
  'intro',
  'question',
  'reminder',
  'progress',
  'summary',
  'digest',
  'status',
  'help',
  'echo',
  'export',
  'round',
  'deadline',
  'status-plan',
  'consent',
  'stance',
  'action-consent',
  'erased',
  'welcome',
  'home',
] as const;

/** Channel notices the state machine asks for. */
export const NOTICE_KEYS = [
  'notice-paused',
  'notice-resumed',
  'notice-schedule',
  'notice-skipped',
  'notice-round-skipped',
  'notice-stopped',
  'notice-completed',
] as const;

/** Ephemeral confirmations to the one who typed a command. */
export const REPLY_KEYS = [
  'reply-started',
  'reply-next',
  'reply-skipped',
  'reply-paused',
  'reply-resumed',
  'reply-schedule',
  'reply-summary',
  'reply-digest',
  'reply-export',
  'reply-stopped',
  'reply-answer-recorded',
  'reply-queued',
  'reply-remind-on',
  'reply-remind-on-off',
  'reply-remind-off',
  'reply-statement-written',
  'reply-statement-revised',
  'reply-stance-consent',
  'reply-stance-concern',
  'reply-stance-objection',
  'reply-action-stance-consent',
  'reply-action-stance-concern',
  'reply-action-stance-objection',
  'reply-action-added',
  'reply-ostrom-rated',
  'reply-forget-confirm',
  'reply-forgotten',
  'reply-answer-forgotten',
] as const;

export const ERROR_KEYS = [
  'error-not-admin',
  'error-no-campaign',
  'error-already-running',
  'error-not-running',
  'error-not-paused',
  'error-already-paused',
  'error-campaign-ended',
  'error-no-open-question',
  'error-no-more-questions',
  'error-unknown-question',
  'error-empty-answer',
  'error-answer-too-long',
  'error-unknown-answer',
  'error-invalid-cadence',
  'error-invalid-timezone',
  'error-invalid-language',
  'error-invalid-format',
  'error-invalid-quiet-days',
  'error-invalid-holiday',
  'error-invalid-reminder',
  'error-no-allowed-run',
  'error-remind-me-full',
  'error-empty-statement',
  'error-statement-too-long',
  'error-no-statement',
  'error-action-withdrawn',
  'error-statement-revised',
  'error-consent-closed',
  'error-reason-required',
  'error-unknown-block',
  'error-unknown-subcommand',
  'error-bad-argument',
  'error-bad-template',
  'error-busy',
  'error-internal',
  'error-campaign-unreadable',
] as const satisfies readonly `error-${UserErrorId}`[];

export type PostKey = (typeof POST_KEYS)[number];
export type NoticeKey = (typeof NOTICE_KEYS)[number];
export type ReplyKey = (typeof REPLY_KEYS)[number];
export type ErrorKey = (typeof ERROR_KEYS)[number];
export type PromptKey = PostKey | NoticeKey | ReplyKey | ErrorKey;

export const ALL_PROMPT_KEYS: readonly PromptKey[] = [
  ...POST_KEYS,
  ...NOTICE_KEYS,
  ...REPLY_KEYS,
  ...ERROR_KEYS,
];

export function errorKey(id: UserErrorId): ErrorKey {
  return `error-${id}` as ErrorKey;
}
