import type { ChannelRef } from '../src/index.js';

/** What a member left in the end: the text, or that it was removed. */
export interface SentAnswer {
  text: string;
  removed: boolean;
}

/** One campaign the suite drives, and what must be true of it at the end. */
export interface Tracked {
  name: string;
  channel: ChannelRef;
  /** Answers sent, by platform message id, as they must be stored in the end. */
  answers: Map<string, SentAnswer>;
  /** Question posts the suite caused: the first one, and one per accepted `next`. */
  questions: number;
  /** A campaign on a cadence gets questions from ticks too: its count comes from the store. */
  ticking?: boolean;
}

/** Every injected fault, by kind, and every campaign the suite drives. */
export class Ledger {
  readonly faults = new Map<string, number>();
  readonly campaigns: Tracked[] = [];
  /** Findings of scenarios that check something on the spot (e.g. the catch-up after downtime). */
  readonly problems: string[] = [];

  fault(kind: string, n = 1): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + n);
  }

  track(name: string, channel: ChannelRef, ticking = false): Tracked {
    const t: Tracked = { name, channel, answers: new Map(), questions: 0, ticking };
    this.campaigns.push(t);
    return t;
  }

  get totalFaults(): number {
    return [...this.faults.values()].reduce((a, b) => a + b, 0);
  }
}
