import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Campaign, ChannelRef } from '../facilitation/types.js';

/** Where a thread belongs: the campaign and block whose question post started it. */
export interface ThreadLink {
  campaignId: string;
  blockId: string;
}

/** Raised by `save` when someone else saved the campaign first. */
export class VersionConflictError extends Error {
  constructor(
    readonly campaignId: string,
    readonly expected: number,
  ) {
    super(`campaign ${campaignId} changed since version ${expected}`);
    this.name = 'VersionConflictError';
  }
}

/** Raised by `withLock` when the campaign's lock cannot be had in time. */
export class LockTimeoutError extends Error {
  constructor(readonly campaignId: string) {
    super(`campaign ${campaignId} is locked`);
    this.name = 'LockTimeoutError';
  }
}

/** Campaigns, answers, thread links and templates, on Redis under the `canevas:` prefix. */
export interface CampaignStore {
  /** Stores a new campaign (version 1) and makes it the active one of its channel. */
  create(campaign: Campaign): Promise<Campaign>;
  get(campaignId: string): Promise<Campaign | null>;
  /**
   * Writes the campaign atomically if its stored version is still `campaign.version`; returns it with
   * the version incremented. Answers are written with it; an answer's history is append-only.
   */
  save(campaign: Campaign): Promise<Campaign>;
  /** The campaign currently attached to the channel (running, paused or scheduled), if any. */
  activeId(channel: ChannelRef): Promise<string | null>;
  /** The newest campaign of the channel, whatever its state (for summary/export after stop). */
  latestId(channel: ChannelRef): Promise<string | null>;
  /** Detaches a finished campaign from its channel, so a new one may start. */
  clearActive(channel: ChannelRef, campaignId: string): Promise<void>;
  linkThread(channel: ChannelRef, threadRef: string, link: ThreadLink): Promise<void>;
  findThread(channel: ChannelRef, threadRef: string): Promise<ThreadLink | null>;
  /** Runs `fn` while holding the campaign's lock (one transition at a time across processes). */
  withLock<T>(campaignId: string, fn: () => Promise<T>): Promise<T>;
  /** Stores a template by content hash and returns its id. */
  putTemplate(template: CanvasTemplate): Promise<string>;
  getTemplate(templateId: string): Promise<CanvasTemplate | null>;
  listIds(): Promise<string[]>;
  /** Remembers that a post with this key was sent (and its ref); false when it already was. */
  recordPost(dedupeKey: string, ref: string): Promise<boolean>;
  findPost(dedupeKey: string): Promise<string | null>;
}
