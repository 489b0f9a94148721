import type { AnswerCounts } from '../canvas/canvas-figures.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Campaign, ChannelRef } from '../facilitation/types.js';

/** A post given up on: what `status` tells admins. */
export interface FailedPost {
  dedupeKey: string;
  kind: string;
  error: string;
  at: string;
}

/** What `status` and every command read of a campaign: see `loadCounted`. */
export interface CountedCampaign {
  campaign: Campaign;
  counts?: AnswerCounts;
  /** The posts given up on: how many, and the last one. */
  failedPosts: { count: number; last?: FailedPost };
}

/** Where a thread belongs: the campaign and block whose question post started it. */
export interface ThreadLink {
  campaignId: string;
  blockId: string;
}

/** Raised by `commit` when someone else saved the campaign first. */
export class VersionConflictError extends Error {
  constructor(
    readonly campaignId: string,
    readonly expected: number,
  ) {
    super(`campaign ${campaignId} changed since version ${expected}`);
    this.name = 'VersionConflictError';
  }
}

/** Raised by `withLock` when the lock cannot be had in time. */
export class LockTimeoutError extends Error {
  constructor(readonly campaignId: string) {
    super(`campaign ${campaignId} is locked`);
    this.name = 'LockTimeoutError';
  }
}

/** Raised by `commit` when the inbox entry it would consume is no longer at the head (applied elsewhere). */
export class EntryGoneError extends Error {
  constructor(readonly campaignId: string) {
    super(`the inbox entry of campaign ${campaignId} was applied elsewhere`);
    this.name = 'EntryGoneError';
  }
}

/**
 * A campaign as read for one transition, with the stored JSON of what was read: `commit` writes only
 * what differs from it. `answers` holds only the answers asked for (an answer event reads one).
 */
export interface LoadedCampaign {
  campaign: Campaign;
  doc: string;
  answers: ReadonlyMap<string, string>;
  /** The length of the document as stored (packed), when read from Redis. */
  storedLength?: number;
}

/**
 * What the applier of a campaign's inbox sees next, read in the same step that took the lock or saved
 * the entry before: no round trip of its own.
 */
export interface InboxTurn {
  /** Effects saved and not yet relayed. */
  effects: number;
  /** The inbox's first entry, as stored; null when the inbox is empty. */
  head: string | null;
  /**
   * The campaign with the answers `answerIds` names, when they were read with the head (the caller
   * checks those are the ones the head's event needs). A function: a document that cannot be read
   * throws where the entry is applied, and is set aside like any entry that cannot be.
   */
  read?: { answerIds: readonly string[]; load(): LoadedCampaign };
  /** The lock was let go in that step: nothing was left to apply or relay. */
  released?: boolean;
}

/** What one transition writes besides the campaign, in the same atomic step. */
export interface TransitionWrite {
  /** The inbox entry this transition consumes, and the result kept for whoever waits on it. */
  entry?: { id: string; result: string };
  /** JSON of the effects to relay to BullMQ (schedules, progress, the post flush). */
  effects?: string;
  /** JSON of each post to make, in order. */
  posts: readonly string[];
  /** Answers to delete with their history: only a member taking theirs back (`forget-me`) names any. */
  purge?: readonly string[];
}

/** Campaigns, answers, thread links and templates, on Redis under the `canevas:` prefix. */
export interface CampaignStore {
  /** Stores a new campaign (version 1) and makes it the active one of its channel. */
  create(campaign: Campaign): Promise<Campaign>;
  /** The whole campaign, every answer included (compiling, status, exports). */
  get(campaignId: string): Promise<Campaign | null>;
  /** The campaign with only the answers named ('all' for every one): what a transition reads. */
  load(campaignId: string, answerIds: readonly string[] | 'all'): Promise<LoadedCampaign | null>;
  /**
   * Writes `next` atomically if the stored version is still the loaded one, with `write`; returns it
   * with its new version. Only changed parts are written; answers are never deleted and an answer's
   * history is append-only (Redis refuses otherwise).
   */
  commit(loaded: LoadedCampaign, next: Campaign, write: TransitionWrite): Promise<Campaign>;
  /**
   * Writes `entries` (JSON) to the campaign's inbox, durably, then takes the campaign's lock with
   * `token` (or finds it held with it) and reads what applying the inbox needs first, in one step.
   * Null, the entries written all the same, when another holder has the lock.
   */
  takeInbox(
    campaignId: string,
    lock: { token: string; ttlMs: number },
    entries: readonly string[],
  ): Promise<InboxTurn | null>;
  /**
   * `commit` for the holder of the campaign's lock: also reads what comes next in the inbox, and lets
   * go of the lock when nothing does (`released`).
   */
  commitTurn(
    loaded: LoadedCampaign,
    next: Campaign,
    write: TransitionWrite,
    token: string,
  ): Promise<{ campaign: Campaign; turn: InboxTurn }>;
  /**
   * The campaign without its answers, with the answer counts kept with it: what commands and `status`
   * read, whatever the campaign's size, and its failed posts: one round trip. `counts` is absent for a
   * campaign stored before counts were kept (or whose counts were dropped): `keepCounts` fills them in.
   */
  loadCounted(campaignId: string): Promise<CountedCampaign | null>;
  /**
   * Stores the answer counts of `campaign` (loaded with every answer), unless it changed since: from
   * then on each save keeps them up to date.
   */
  keepCounts(campaign: Campaign): Promise<void>;
  /** The campaign currently attached to the channel (running, paused or scheduled), if any. */
  activeId(channel: ChannelRef): Promise<string | null>;
  /** The newest campaign of the channel, whatever its state (for summary/export after stop). */
  latestId(channel: ChannelRef): Promise<string | null>;
  /** Every campaign of the channel, ended ones included, oldest index first (order not guaranteed). */
  channelIds(channel: ChannelRef): Promise<string[]>;
  /** Detaches a finished campaign from its channel, so a new one may start. */
  clearActive(channel: ChannelRef, campaignId: string): Promise<void>;
  linkThread(channel: ChannelRef, threadRef: string, link: ThreadLink): Promise<void>;
  findThread(channel: ChannelRef, threadRef: string): Promise<ThreadLink | null>;
  /** Runs `fn` while holding a named lock (one at a time across processes). */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Stores a template by content hash and returns its id. */
  putTemplate(template: CanvasTemplate): Promise<string>;
  getTemplate(templateId: string): Promise<CanvasTemplate | null>;
  listIds(): Promise<string[]>;
}
