import { ReplyError } from 'ioredis';
import { transition } from './facilitation/machine.js';
import type { Campaign, CampaignEvent, Lang, UserErrorId } from './facilitation/types.js';
import { planEffects } from './jobs/plan-effects.js';
import type { Logger } from './logger.js';
import type { RedisClient } from './redis-connections.js';
import type { ReplyKey } from './render/message-keys.js';
import type { CampaignLists } from './store/campaign-lists.js';
import { keys } from './store/keys.js';
import { tryLock } from './store/locks.js';
import { type CampaignStore, EntryGoneError, VersionConflictError } from './store/types.js';

type Vars = Record<string, string | number>;

/** What applying one inbox entry gave, kept for the caller that waits on it (it may be elsewhere). */
export type AppliedResult =
  | { ok: true; lang: Lang; reply?: { key: ReplyKey; vars?: Vars } }
  | { ok: false; lang?: Lang; error: UserErrorId; vars?: Vars };

export interface InboxEntry {
  id: string;
  /** When the event arrived: the time the machine applies it at, so a replay gives the same result. */
  at: string;
  event: CampaignEvent;
}

export interface InboxDeps {
  redis: RedisClient;
  store: CampaignStore;
  lists: CampaignLists;
  /** The effect sink: turns the effects saved with a campaign's transitions into jobs (jobs/relay.ts). */
  relay(campaignId: string): Promise<void>;
  logger: Logger;
}

/**
 * Applies a campaign's inbox in arrival order if this process can take the campaign's lock;
 * otherwise returns undefined at once (the holder applies it). With `until`, it resolves with that
 * entry's result as soon as it is applied, and goes on with the rest of the inbox in the background.
 * The holder checks the inbox again after letting go of the lock, so an entry whose submitter found
 * the campaign busy is never left behind.
 */
export async function applyInbox(
  deps: InboxDeps,
  campaignId: string,
  until?: string,
): Promise<AppliedResult | undefined> {
  const lock = await tryLock(deps.redis, keys.campaignLock(campaignId));
  if (!lock) return undefined;
  let resolveMine: (r: AppliedResult | undefined) => void = () => undefined;
  const mine = new Promise<AppliedResult | undefined>((resolve) => {
    resolveMine = resolve;
  });
  const drain = async () => {
    try {
      await deps.relay(campaignId);
      for (;;) {
        const raw = await deps.lists.inboxHead(campaignId);
        if (!raw) break;
        const entry = readEntry(raw);
        if (!entry) {
          deps.logger.error({ campaign: campaignId }, 'unreadable inbox entry set aside');
          await deps.lists.buryUnreadable(campaignId, raw, 'not an inbox entry');
          continue;
        }
        const result = await applyEntry(deps, campaignId, entry);
        if (entry.id !== until) continue;
        // The caller learns its result once the jobs it asked for exist.
        await deps.relay(campaignId);
        resolveMine(result);
      }
      await deps.relay(campaignId);
    } finally {
      await lock.release();
    }
    if ((await deps.lists.inboxLength(campaignId)) > 0) await applyInbox(deps, campaignId);
  };
  const done = drain().then(
    () => resolveMine(undefined),
    (err: unknown) => {
      deps.logger.warn({ err, campaign: campaignId }, 'applying the inbox stopped; the sweeper will go on');
      resolveMine(undefined);
    },
  );
  const result = await mine;
  // Without an entry of its own to wait for (the sweeper, a worker), the caller waits for the whole drain.
  if (!until) await done;
  return result;
}

/**
 * An entry as stored. Text that is not well-formed Unicode (a lone UTF-16 surrogate, half an emoji cut
 * by a client) has no UTF-8 form: Redis' Lua JSON refuses it, and a chat would show it as U+FFFD
 * anyway, so it is stored as U+FFFD from the start rather than left to stop the campaign's inbox.
 */
export function entryJson(entry: InboxEntry): string {
  return JSON.stringify(entry, (_key, value: unknown) =>
    typeof value === 'string' ? value.toWellFormed() : value,
  );
}

/** An inbox entry, or undefined for text that is not one (written by hand, or by a bug). */
function readEntry(raw: string): InboxEntry | undefined {
  try {
    const entry = JSON.parse(raw) as Partial<InboxEntry> | null;
    const valid =
      typeof entry?.id === 'string' && typeof entry.at === 'string' && typeof entry.event?.type === 'string';
    return valid ? (entry as InboxEntry) : undefined;
  } catch {
    return undefined;
  }
}

/** Which answers an event needs: one for an answer's own events (so its cost does not grow), all otherwise. */
function answersFor(event: CampaignEvent): readonly string[] | 'all' {
  switch (event.type) {
    case 'answer-added':
      return [event.answer.id];
    case 'answer-edited':
    case 'answer-removed':
    case 'reaction':
      return [event.answerId];
    case 'post-recorded':
    case 'posts-recorded':
      return [];
    default:
      return 'all';
  }
}

/**
 * One entry: load what it needs, run the machine, and write the new state, its posts, its effects,
 * the entry's removal and its result in one atomic step. An entry that cannot be applied (a bug, data
 * Redis refuses) is set aside with its error instead of blocking the campaign; a lost connection is
 * thrown, and the entry stays for the next try.
 */
async function applyEntry(deps: InboxDeps, campaignId: string, entry: InboxEntry): Promise<AppliedResult> {
  let lang: Lang | undefined;
  try {
    const loaded = await deps.store.load(campaignId, answersFor(entry.event));
    if (!loaded) return await discard(deps, campaignId, entry);
    lang = loaded.campaign.lang;
    const outcome = transition(loaded.campaign, entry.event, new Date(entry.at));
    if (!outcome.ok) {
      const refused: AppliedResult = { ok: false, lang, error: outcome.error, vars: outcome.vars };
      await deps.store.commit(loaded, loaded.campaign, {
        entry: { id: entry.id, result: JSON.stringify(refused) },
        posts: [],
      });
      return refused;
    }
    const version = loaded.campaign.version + 1;
    const plan = planEffects(outcome.campaign, version, outcome.effects);
    const reply = outcome.effects.find((e) => e.type === 'reply');
    const applied: AppliedResult = {
      ok: true,
      lang: outcome.campaign.lang,
      ...(reply?.type === 'reply' ? { reply: { key: reply.key, vars: reply.vars } } : {}),
    };
    const effects =
      plan.relay.length > 0
        ? JSON.stringify({ campaignId, version, at: entry.at, effects: plan.relay })
        : undefined;
    const ending = outcome.campaign.endedAt;
    if (ending && ending !== loaded.campaign.endedAt) await deps.lists.markEnded(campaignId, ending);
    const saved = await deps.store.commit(loaded, outcome.campaign, {
      entry: { id: entry.id, result: JSON.stringify(applied) },
      effects,
      posts: plan.posts.map((p) => JSON.stringify(p)),
      // Only a member taking their answers back deletes any: named here, never inferred elsewhere.
      ...(entry.event.type === 'forget-member' ? { purge: purgedAnswers(loaded, outcome.campaign) } : {}),
    });
    if (saved.status === 'completed' || saved.status === 'cancelled')
      await deps.store.clearActive(saved.channel, saved.id);
    return applied;
  } catch (err) {
    if (err instanceof EntryGoneError) {
      const stored = await deps.lists.result(campaignId, entry.id);
      return stored ? (JSON.parse(stored) as AppliedResult) : { ok: true, lang: lang ?? 'fr' };
    }
    if (err instanceof VersionConflictError || !isPermanent(err)) throw err;
    deps.logger.error({ err, campaign: campaignId, event: entry.event.type }, 'event set aside');
    return bury(deps, campaignId, entry, err instanceof Error ? err.message : String(err), 'internal', lang);
  }
}

/** The answers a `forget-me` took out of the campaign: every one it read and no longer holds. */
function purgedAnswers(loaded: { answers: ReadonlyMap<string, string> }, next: Campaign): string[] {
  return [...loaded.answers.keys()].filter((id) => !(id in next.answers));
}

/**
 * An event for a campaign that is not stored (purged after its retention, or never was): a late
 * reminder, a reaction on an old message. Dropped with its result, leaving no key behind.
 */
async function discard(deps: InboxDeps, campaignId: string, entry: InboxEntry): Promise<AppliedResult> {
  const result: AppliedResult = { ok: false, error: 'no-campaign' };
  deps.logger.info(
    { campaign: campaignId, event: entry.event.type },
    'event for a campaign not stored, dropped',
  );
  await deps.lists.discard(campaignId, entry.id, JSON.stringify(result));
  return result;
}

/** Redis refusing a write, or the core failing on the data, fails the same way every time. */
function isPermanent(err: unknown): boolean {
  // ioredis types ReplyError as any: the message is read as a string on purpose.
  if (err instanceof ReplyError)
    return !/VERSION|NOTHEAD|LOADING|BUSY|TRYAGAIN|CLUSTERDOWN/.test(String((err as Error).message));
  if (!(err instanceof Error)) return true;
  return !/Connection|ECONN|timed out|MaxRetriesPerRequest|Stream isn't writeable|EPIPE/i.test(
    `${err.name} ${err.message}`,
  );
}

async function bury(
  deps: InboxDeps,
  campaignId: string,
  entry: InboxEntry,
  error: string,
  id: UserErrorId,
  lang?: Lang,
): Promise<AppliedResult> {
  const result: AppliedResult = { ok: false, error: id, ...(lang ? { lang } : {}) };
  const record = JSON.stringify({ entry, error: error.slice(0, 500), at: new Date().toISOString() });
  await deps.lists.bury(campaignId, entry.id, record, JSON.stringify(result));
  return result;
}
