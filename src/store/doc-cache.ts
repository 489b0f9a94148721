import type { Campaign } from '../facilitation/types.js';

/** A campaign's document as one version of it is stored: read once, then shared by every transition. */
export interface KeptDoc {
  /** The version it was stored at, as Redis returns it. */
  version: string;
  /** The length of the stored (packed) document: a document written by hand under the same version differs. */
  storedLength: number;
  json: string;
  /** Parsed and frozen: the machine is pure, and a transition that wrote to it would throw, not spoil it. */
  doc: Readonly<Omit<Campaign, 'answers' | 'version'>>;
}

/** Campaigns kept at once: the documents of the campaigns being answered, a few KB each. */
const DEFAULT_LIMIT = 1_000;

/**
 * The campaign documents this process applied events to last, so an answer neither inflates nor parses
 * a document that has not changed. Only ever trusted for the version (and stored length) Redis confirms
 * in the step that reads the inbox, and every save checks the version it was computed from: a document
 * another process changed is read again, never used stale.
 */
export class DocCache {
  private readonly kept = new Map<string, KeptDoc>();

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  /** The document kept for the campaign, whatever its version (what to ask Redis to confirm). */
  peek(campaignId: string): KeptDoc | undefined {
    return this.kept.get(campaignId);
  }

  /**
   * Keeps the document stored at `version`, parsing `json` only when it differs from the one kept
   * (a transition that changed no part of the document saves a new version of the same one).
   */
  keep(campaignId: string, version: string, storedLength: number, json: string): KeptDoc {
    const before = this.kept.get(campaignId);
    const doc = before?.json === json ? before.doc : deepFreeze(JSON.parse(json) as KeptDoc['doc']);
    const entry = { version, storedLength, json, doc };
    // Most recently used last, so the first is the one to let go of.
    this.kept.delete(campaignId);
    this.kept.set(campaignId, entry);
    if (this.kept.size > this.limit) this.kept.delete(this.kept.keys().next().value as string);
    return entry;
  }

  forget(campaignId: string): void {
    this.kept.delete(campaignId);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
