import type { Campaign, Effect } from '../facilitation/types.js';
import type { OutboxItem, RelayEffect } from './job-types.js';

export interface EffectPlan {
  /** Posts, in order, saved with the transition. */
  posts: OutboxItem[];
  /** Everything else, relayed to BullMQ after the save. */
  relay: RelayEffect[];
}

/**
 * Splits a transition's effects into the posts saved with it and the jobs relayed after it. Dedupe
 * keys of per-transition posts carry the version the transition saves, so each is made once.
 */
export function planEffects(campaign: Campaign, version: number, effects: readonly Effect[]): EffectPlan {
  const tag = `${campaign.id}-v${version}`;
  const posts: OutboxItem[] = [];
  const relay: RelayEffect[] = [];
  for (const [index, effect] of effects.entries()) {
    switch (effect.type) {
      case 'post-intro':
        posts.push({ kind: 'intro', dedupeKey: `${campaign.id}-intro` });
        break;
      case 'post-round':
        posts.push({
          kind: 'round',
          roundId: effect.roundId,
          dedupeKey: roundKey(campaign.id, effect.roundId),
        });
        break;
      case 'post-question':
        posts.push({
          kind: 'question',
          blockId: effect.blockId,
          dedupeKey: questionKey(campaign.id, effect.blockId),
        });
        break;
      case 'post-reminder':
        posts.push({
          kind: 'reminder',
          roundId: effect.roundId,
          dedupeKey: `${campaign.id}-nudge-${safe(effect.roundId)}`,
        });
        break;
      case 'post-echo':
        posts.push({
          kind: 'echo',
          answerId: effect.answerId,
          dedupeKey: echoKey(campaign.id, effect.answerId),
        });
        break;
      case 'update-progress':
        // The first progress post is made in order with the others; after that it is edited in place,
        // at most once every few seconds, with whatever the campaign then holds.
        if (campaign.progressPostRef) relay.push({ type: 'progress' });
        else posts.push({ kind: 'progress', dedupeKey: progressKey(campaign.id) });
        break;
      case 'notice':
        posts.push({ kind: 'notice', key: effect.key, vars: effect.vars, dedupeKey: `${tag}-n${index}` });
        break;
      case 'compile-canvas':
        posts.push({ kind: 'summary', final: effect.final, dedupeKey: `${tag}-summary` });
        break;
      case 'post-digest':
        posts.push({ kind: 'digest', since: effect.since, dedupeKey: `${tag}-digest` });
        break;
      case 'export':
        posts.push({
          kind: 'export',
          format: effect.format,
          requestedBy: effect.requestedBy,
          dedupeKey: `${tag}-export-${effect.format}`,
        });
        break;
      case 'post-consent':
        posts.push({
          kind: 'consent',
          roundId: effect.roundId,
          dedupeKey: consentKey(campaign.id, effect.roundId),
        });
        break;
      case 'update-consent':
        posts.push({ kind: 'consent-update', roundId: effect.roundId, dedupeKey: `${tag}-cu${index}` });
        break;
      case 'post-stance':
        posts.push({
          kind: 'stance',
          blockId: effect.blockId,
          version: effect.version,
          index: effect.index,
          ...(effect.answerId === undefined ? {} : { answerId: effect.answerId }),
          dedupeKey: stanceKey(campaign.id, effect),
        });
        break;
      case 'erase-post':
        posts.push({ kind: 'erase', post: effect.post, dedupeKey: `${tag}-e${index}` });
        break;
      case 'post-action':
        posts.push({
          kind: 'action',
          answerId: effect.answerId,
          dedupeKey: actionKey(campaign.id, effect.answerId),
        });
        break;
      case 'update-action':
        posts.push({ kind: 'action-update', answerId: effect.answerId, dedupeKey: `${tag}-au${index}` });
        break;
      case 'schedule-reminder':
      case 'set-schedule':
      case 'remove-schedule':
        relay.push(effect);
        break;
      case 'close-question':
      case 'reply':
        // A closed question shows in the progress post; replies go back to the caller.
        break;
      default: {
        const unhandled: never = effect;
        throw new Error(`unhandled effect ${JSON.stringify(unhandled)}`);
      }
    }
  }
  if (posts.length > 0) relay.push({ type: 'flush' });
  return { posts, relay };
}

/** The dedupe key of a question's post: its platform ref is found under it (threads, reminders). */
export const questionKey = (campaignId: string, blockId: string) => `${campaignId}-q-${blockId}`;
export const roundKey = (campaignId: string, roundId: string) => `${campaignId}-round-${safe(roundId)}`;
/** The round's consent post: made once, then edited in place; stances' reasons go in its thread. */
export const consentKey = (campaignId: string, roundId: string) => `${campaignId}-consent-${safe(roundId)}`;
/** An action's consent post: made once in its question's thread, then edited in place. */
export const actionKey = (campaignId: string, answerId: string) => `${campaignId}-action-${safe(answerId)}`;
export const progressKey = (campaignId: string) => `${campaignId}-progress`;
/** The bot's echo of a form answer, in its question's thread. */
export const echoKey = (campaignId: string, answerId: string) => `${campaignId}-echo-${safe(answerId)}`;
/** A stance's reason, posted in the thread of what it is about. */
export function stanceKey(
  campaignId: string,
  s: { blockId: string; version: number; index: number; answerId?: string },
): string {
  const subject = s.answerId === undefined ? s.blockId : `a-${s.answerId}`;
  return `${campaignId}-stance-${safe(subject)}-${s.version}-${s.index}`;
}

/** Platform ids may hold characters job ids and keys should not. */
const safe = (id: string) => id.replace(/[^\w.-]/g, '_');
