import type { ErasedPost, ExportFormat, Person } from '../facilitation/types.js';
import type { NoticeKey } from '../render/message-keys.js';

/**
 * Queue names: no `:` (BullMQ uses it in its own keys). Scheduled runs (cadence ticks, digests,
 * nudges) are not jobs: one sorted set holds them all (see jobs/sweeper.ts).
 */
export const QUEUE = {
  /** Posting a campaign's messages in order (the flush), and the coalesced progress update. */
  outbox: 'canevas-outbox',
} as const;

/**
 * What every BullMQ key starts with. The braces make it a hash tag: on a Redis Cluster each queue's
 * keys then sit in one slot, as BullMQ's scripts require. Queues made before 0.2 used BullMQ's default
 * `bull`: they are moved at start (jobs/migrate-queues.ts).
 */
export const QUEUE_PREFIX = '{canevas}';

export type OutboxJob =
  /** Make the campaign's pending posts, oldest first. */
  | { name: 'flush'; data: { campaignId: string } }
  /** Bring the living progress post up to date with the latest state. */
  | { name: 'progress'; data: { campaignId: string } };

/**
 * One message to post, saved with the transition that asked for it, posted in that order, each at
 * most once (by dedupeKey). Summaries, digests and exports are compiled and drawn when posted.
 */
export type OutboxItem = { dedupeKey: string } & (
  | { kind: 'intro' }
  | { kind: 'round'; roundId: string }
  | { kind: 'question'; blockId: string }
  /** The nudge before the round's deadline, in the channel (saved before rounds: a block, in its round). */
  | { kind: 'reminder'; roundId?: string; blockId?: string }
  | { kind: 'progress' }
  | { kind: 'notice'; key: NoticeKey; vars?: Record<string, string | number> }
  | { kind: 'summary'; final: boolean }
  | { kind: 'digest'; since: string }
  | { kind: 'export'; format: ExportFormat; requestedBy: Person }
  | { kind: 'echo'; answerId: string }
  | { kind: 'consent'; roundId: string }
  /** The consent post edited with the statements and stances as they are when it is made. */
  | { kind: 'consent-update'; roundId: string }
  /** A stance's reason, in the thread of the consent post (or of the action, `answerId`). */
  | { kind: 'stance'; blockId: string; version: number; index: number; answerId?: string }
  /** An action's consent post in its question's thread, then its edits in place. */
  | { kind: 'action'; answerId: string }
  | { kind: 'action-update'; answerId: string }
  /** A post that quoted a forgotten member, edited to say only that something was removed. */
  | { kind: 'erase'; post: ErasedPost }
);

/** Work a transition leaves for BullMQ and the schedule, saved with it and relayed after (see relay.ts). */
export type RelayEffect =
  | { type: 'set-schedule' }
  | { type: 'remove-schedule' }
  /** Saved before rounds: a block, whose round is the open one. */
  | { type: 'schedule-reminder'; roundId?: string; blockId?: string }
  | { type: 'progress' }
  | { type: 'flush' };

export interface RelayEntry {
  campaignId: string;
  /** The campaign's version after the transition: job ids derive from it, so a relay repeats safely. */
  version: number;
  /** When the transition was applied (reminders are timed from it). */
  at: string;
  effects: RelayEffect[];
}
