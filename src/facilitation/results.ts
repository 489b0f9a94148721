import type { Campaign, Effect, TransitionResult, UserErrorId } from './types.js';

/** An accepted transition: the new campaign and what it asks the outside world to do. */
export const ok = (campaign: Campaign, effects: Effect[] = []): TransitionResult => ({
  ok: true,
  campaign,
  effects,
});

export type Refusal = Extract<TransitionResult, { ok: false }>;

/** A refused event: a prompt key (errors/<id>) for the one who sent it; nothing changes. */
export const refuse = (error: UserErrorId, vars?: Record<string, string | number>): Refusal => ({
  ok: false,
  error,
  vars,
});

export const isEnded = (c: Campaign) => c.status === 'completed' || c.status === 'cancelled';
