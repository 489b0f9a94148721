import { ReplyError } from 'ioredis';
import { transition } from './facilitation/machine.js';
import type { Campaign, CampaignEvent, Lang, UserErrorId } from './facilitation/types.js';
import type { RelayEffect } from './jobs/job-types.js';
import { planEffects } from './jobs/plan-effects.js';
import type { Logger } from './logger.js';
import type { RedisClient } from './redis-connections.js';
import type { ReplyKey } from './render/message-keys.js';
import type { CampaignLists } from './store/campaign-lists.js';
import { keys } from './store/keys.js';
import { DEFAULT_LOCK_TTL_MS, holdLock, newLockToken } from './store/locks.js';
import { type CampaignStore, EntryGoneError, type InboxTurn, VersionConflictError } from './store/types.js';

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
  /**
   * Whether relaying these effects would add any job (jobs/relay.ts `relayAddsJobs`): when not, they
   * are not saved. Without it, every effect is saved and relayed.
   */
  relayAddsJobs?(campaignId: string, effects: readonly RelayEffect[], at: string): boolean;
  logger: Logger;
}

/**
 * Writes `entries` to a campaign's inbox, then applies the inbox in arrival order if this process can
 * take the campaign's lock; otherwise returns undefined at once (the holder applies it). With `until`,
 * it resolves with that entry's result as soon as it is applied, and goes on with the rest of the inbox
 * in the background.
 * Each step reads what the next one needs: writing the entries takes the lock and reads the first
 * entry with its campaign (one round trip), and saving an entry reads the next one, or lets go of the
 * lock when none is left, so no entry whose writer found the campaign busy is ever left behind.
 */
export async function applyInbox(
  deps: InboxDeps,
  campaignId: string,
  until?: string,
  entries: readonly string[] = [],
): Promise<AppliedResult | undefined> {
  const token = newLockToken();
  const lockTtl = { token, ttlMs: DEFAULT_LOCK_TTL_MS };
  const first = await deps.store.takeInbox(campaignId, lockTtl, entries);
  if (!first) return undefined;
  const lock = holdLock(deps.redis, keys.campaignLock(campaignId), token);
  let resolveMine: (r: AppliedResult | undefined) => void = () => undefined;
  const mine = new Promise<AppliedResult | undefined>((resolve) => {
    resolveMine = resolve;
  });
  let released = false;
  const drain = async () => {
    let turn: InboxTurn | null = first;
    let applied: AppliedResult | undefined;
    try {
      for (;;) {
        // Read again after a step that did not (a set-aside entry, a conflict); null: the lock was lost.
        turn ??= await deps.store.takeInbox(campaignId, lockTtl, []);
        if (!turn) return;
        if (turn.effects > 0) await deps.relay(campaignId);
        // The caller learns its result once the jobs it asked for exist.
        if (applied) resolveMine(applied);
        applied = undefined;
        released = turn.released === true;
        if (released || !turn.head) break;
        const entry = readEntry(turn.head);
        if (!entry) {
          deps.logger.error({ campaign: campaignId }, 'unreadable inbox entry set aside');
          await deps.lists.buryUnreadable(campaignId, turn.head, 'not an inbox entry');
          turn = null;
          continue;
        }
        const step = await applyEntry(deps, campaignId, entry, turn, token);
        turn = step.turn ?? null;
        if (entry.id === until) applied = step.result;
      }
    } finally {
      if (released) lock.letGo();
      else await lock.release();
    }
    // Let go by hand (not by the script that found the inbox empty): an entry may have come meanwhile.
    if (!released && (await deps.lists.inboxLength(campaignId)) > 0) await applyInbox(deps, campaignId);
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

/** An entry applied: its result, and what comes next when the step that saved it read it. */
interface Step {
  result: AppliedResult;
  turn?: InboxTurn;
}

/**
 * The campaign an entry needs: read with it already when those are the answers it needs (an answer's
 * own events), loaded otherwise.
 */
function loadFor(deps: InboxDeps, campaignId: string, event: CampaignEvent, turn: InboxTurn) {
  const needed = answersFor(event);
  const read = turn.read;
  const same =
    read &&
    needed !== 'all' &&
    needed.length === read.answerIds.length &&
    needed.every((id, i) => read.answerIds[i] === id);
  return same ? read.load() : deps.store.load(campaignId, needed);
}

/**
 * One entry: load what it needs, run the machine, and write the new state, its posts, its effects,
 * the entry's removal and its result in one atomic step. An entry that cannot be applied (a bug, data
 * Redis refuses) is set aside with its error instead of blocking the campaign; a lost connection is
 * thrown, and the entry stays for the next try.
 */
async function applyEntry(
  deps: InboxDeps,
  campaignId: string,
  entry: InboxEntry,
  turn: InboxTurn,
  token: string,
): Promise<Step> {
  let lang: Lang | undefined;
  try {
    const loaded = await loadFor(deps, campaignId, entry.event, turn);
    if (!loaded) return { result: await discard(deps, campaignId, entry) };
    lang = loaded.campaign.lang;
    const outcome = transition(loaded.campaign, entry.event, new Date(entry.at));
    if (!outcome.ok) {
      const refused: AppliedResult = { ok: false, lang, error: outcome.error, vars: outcome.vars };
      const saved = await deps.store.commitTurn(
        loaded,
        loaded.campaign,
        { entry: { id: entry.id, result: JSON.stringify(refused) }, posts: [] },
        token,
      );
      return { result: refused, turn: saved.turn };
    }
    const version = loaded.campaign.version + 1;
    const plan = planEffects(outcome.campaign, version, outcome.effects);
    const reply = outcome.effects.find((e) => e.type === 'reply');
    const applied: AppliedResult = {
      ok: true,
      lang: outcome.campaign.lang,
      ...(reply?.type === 'reply' ? { reply: { key: reply.key, vars: reply.vars } } : {}),
    };
    const relayed = plan.relay.length > 0 && (deps.relayAddsJobs?.(campaignId, plan.relay, entry.at) ?? true);
    const effects = relayed
      ? JSON.stringify({ campaignId, version, at: entry.at, effects: plan.relay })
      : undefined;
    const ending = outcome.campaign.endedAt;
    if (ending && ending !== loaded.campaign.endedAt) await deps.lists.markEnded(campaignId, ending);
    const { campaign: saved, turn: next } = await deps.store.commitTurn(
      loaded,
      outcome.campaign,
      {
        entry: { id: entry.id, result: JSON.stringify(applied) },
        effects,
        posts: plan.posts.map((p) => JSON.stringify(p)),
        // Only a member taking their answers back deletes any: named here, never inferred elsewhere.
        ...(entry.event.type === 'forget-member' ? { purge: purgedAnswers(loaded, outcome.campaign) } : {}),
      },
      token,
    );
    if (saved.status === 'completed' || saved.status === 'cancelled')
      await deps.store.clearActive(saved.channel, saved.id);
    return { result: applied, turn: next };
  } catch (err) {
    if (err instanceof EntryGoneError) {
      const stored = await deps.lists.result(campaignId, entry.id);
      return { result: stored ? (JSON.parse(stored) as AppliedResult) : { ok: true, lang: lang ?? 'fr' } };
    }
    if (err instanceof VersionConflictError || !isPermanent(err)) throw err;
    deps.logger.error({ err, campaign: campaignId, event: entry.event.type }, 'event set aside');
    const why = err instanceof Error ? err.message : String(err);
    return { result: await bury(deps, campaignId, entry, why, 'internal', lang) };
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
