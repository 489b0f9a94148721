import { type Job, UnrecoverableError } from 'bullmq';
import { type CanvasFigures, figuresOfCanvas, figuresOfCounts } from '../canvas/canvas-figures.js';
import type { CompiledCanvas } from '../canvas/canvas-types.js';
import { compileCanvas } from '../canvas/compile.js';
import { isForgottenRef } from '../facilitation/forget.js';
import { roundsOf } from '../facilitation/rounds.js';
import { consentHost, roundIdOf } from '../facilitation/statements.js';
import type { Campaign, ErasedPost, PostRecord, PostTarget } from '../facilitation/types.js';
import type { Logger } from '../logger.js';
import type { ChatPlatform, OutboundFile, OutboundPost } from '../platform.js';
import type { RedisClient } from '../redis-connections.js';
import {
  type ComposeContext,
  composeDigest,
  composeEcho,
  composeErased,
  composeExportPost,
  composeIntro,
  composeNotice,
  composeNudge,
  composeProgress,
  composeQuestion,
  composeRound,
  composeSummary,
} from '../render/compose.js';
import { composeActionConsent, composeConsent, composeStance } from '../render/compose-consent.js';
import { canvasOf } from '../render/compose-views.js';
import type { MadePost } from '../store/campaign-lists.js';
import { keys } from '../store/keys.js';
import { whileWork } from '../store/locks.js';
import { buildCanvasPicture, buildExport } from './build-export.js';
import { nextPostAt } from './campaign-schedule.js';
import type { OutboxItem, OutboxJob } from './job-types.js';
import {
  actionKey,
  consentKey,
  echoKey,
  progressKey,
  questionKey,
  roundKey,
  stanceKey,
} from './plan-effects.js';
import type { WorkerDeps } from './worker-deps.js';

type Composed = Omit<OutboundPost, 'dedupeKey'>;

/** Tries of one post before it is given up on and the campaign's later posts go on. */
const POST_TRIES = 8;

/**
 * Makes a campaign's posts in the order their transitions were saved, each once: one poster per
 * campaign at a time across processes (its post lock), the intent recorded before the platform is
 * called, and a post whose earlier try may have reached the platform looked up before it is made again.
 */
export function createOutboxProcessor(deps: WorkerDeps, redis: RedisClient) {
  return async (job: Job<OutboxJob['data'], void, OutboxJob['name']>): Promise<void> => {
    const { campaignId } = job.data;
    if (job.name === 'progress') return updateProgress(deps, campaignId);
    const log = deps.logger.child({ campaign: campaignId, job: job.id });
    await whileWork(
      redis,
      keys.postLock(campaignId),
      async () => (await deps.lists.postsLength(campaignId)) > 0,
      () => flush(deps, campaignId, log),
    );
  };
}

async function flush(deps: WorkerDeps, campaignId: string, log: Logger): Promise<void> {
  for (;;) {
    const raws = await deps.lists.postsHeads(campaignId, PASS_POSTS);
    if (raws.length === 0) return;
    const all = await flushPass(deps, campaignId, raws, log);
    // Fewer than asked for, all made: the list was empty (what came since, the lock's holder checks).
    if (all && raws.length < PASS_POSTS) return;
  }
}

/** Posts read from the head of a campaign's list at a time: the campaign is read and compiled once for them. */
const PASS_POSTS = 16;
/** A pass ends early after this long (a paced channel), so what it made is recorded without waiting for the rest. */
const PASS_MS = 250;

/**
 * Makes the posts `raws`, in order; true when it made them all. The ref of each post made is written with the next post's intent
 * (or at the end of the pass), and the events that record posts in the campaign are written together
 * before the posts made leave the list: a crash repeats a recording, never a post.
 */
async function flushPass(
  deps: WorkerDeps,
  campaignId: string,
  raws: string[],
  log: Logger,
): Promise<boolean> {
  const pass = await startPass(deps, campaignId, raws);
  const made: string[] = [];
  const started = Date.now();
  try {
    for (const raw of raws) {
      const item = JSON.parse(raw) as OutboxItem;
      try {
        await postOne(pass, item, log);
      } catch (err) {
        // What was made before it leaves the list first: the failed post must be at its head.
        await finishPass(deps, pass, made.splice(0));
        await failed(deps, campaignId, raw, item, err, log);
        return false;
      }
      made.push(raw);
      if (Date.now() - started > PASS_MS) return false;
    }
    return true;
  } finally {
    await finishPass(deps, pass, made);
  }
}

/** A post that failed: thrown again for the job to retry it, or, past its tries, set aside. */
async function failed(
  deps: WorkerDeps,
  campaignId: string,
  raw: string,
  item: OutboxItem,
  err: unknown,
  log: Logger,
) {
  const tries = await deps.lists.countTry(campaignId, item.dedupeKey);
  if (!(err instanceof UnrecoverableError) && tries < POST_TRIES) throw err;
  const error = (err instanceof Error ? err.message : String(err)).slice(0, 300);
  log.error({ err, kind: item.kind, tries }, 'post given up');
  const at = now(deps).toISOString();
  await deps.lists.giveUpPost(campaignId, raw, { dedupeKey: item.dedupeKey, kind: item.kind, error, at });
}

/**
 * One pass over a campaign's posts: the campaign as read when it began (at least as new as the
 * transitions that asked for the posts), the refs of posts already made, and the events that record
 * the posts in the campaign, written together when the pass ends.
 */
interface Pass {
  campaignId: string;
  campaign: Campaign | null;
  /** The answer counts' figures, when the campaign was read without its answers (they were enough). */
  figures?: CanvasFigures;
  /** The pass's view of the worker's deps: see startPass. */
  deps: WorkerDeps;
  refs: Map<string, string>;
  /** Posts made whose ids the campaign must remember: one event records them all when the pass ends. */
  records: PostRecord[];
  /** The last post made, whose ref is written with the next post's intent or when the pass ends. */
  unrecorded?: MadePost;
  context?: Promise<ComposeContext>;
}

async function startPass(deps: WorkerDeps, campaignId: string, raws: string[]): Promise<Pass> {
  const dedupeKeys = raws.map((raw) => (JSON.parse(raw) as OutboxItem).dedupeKey);
  const countsEnough = raws.every((raw) => SHOWS_COUNTS.has((JSON.parse(raw) as OutboxItem).kind));
  const [refs, read] = await Promise.all([
    deps.lists.findPosts(campaignId, dedupeKeys),
    countsEnough
      ? readCounted(deps, campaignId)
      : deps.store.get(campaignId).then((campaign) => ({ campaign })),
  ]);
  const pass: Pass = { campaignId, ...read, deps, refs: new Map(), records: [] };
  for (const [i, ref] of refs.entries()) if (ref) pass.refs.set(dedupeKeys[i] as string, ref);
  // Posts made in this pass are found before their records are written.
  pass.deps = {
    ...deps,
    lists: {
      ...deps.lists,
      findPost: async (id, key) => pass.refs.get(key) ?? deps.lists.findPost(id, key),
    },
  };
  return pass;
}

/** Posts whose text shows no answer, only counts: made from the counts kept with the campaign. */
const SHOWS_COUNTS = new Set<OutboxItem['kind']>(['intro', 'round', 'question', 'progress', 'notice']);

/**
 * The campaign without its answers and the figures of the counts kept with it. One stored before
 * counts were kept (or whose counts name a block its template lacks) is read whole, and its counts
 * are kept from then on.
 */
async function readCounted(
  deps: WorkerDeps,
  campaignId: string,
): Promise<{ campaign: Campaign | null; figures?: CanvasFigures }> {
  const read = await deps.store.loadCounted(campaignId);
  if (!read) return { campaign: null };
  const { campaign, counts } = read;
  const figures = counts && figuresOfCounts(campaign, await deps.templates.of(campaign), counts);
  if (figures) return { campaign, figures };
  const whole = await deps.store.get(campaignId);
  if (whole && !counts) await deps.store.keepCounts(whole);
  return { campaign: whole };
}

async function finishPass(deps: WorkerDeps, pass: Pass, made: string[]): Promise<void> {
  const posts = pass.records.splice(0);
  if (posts.length > 0) await deps.events.submit(pass.campaignId, { type: 'posts-recorded', posts });
  if (made.length === 0 && !pass.unrecorded) return;
  await deps.lists.finishPosts(pass.campaignId, made, pass.unrecorded);
  pass.unrecorded = undefined;
}

async function postOne(pass: Pass, item: OutboxItem, log: Logger): Promise<void> {
  const { campaign, deps, campaignId } = pass;
  if (!campaign) throw new UnrecoverableError(`campaign ${campaignId} is gone`);
  const platform = platformOf(deps, campaign);
  // What quoted a member who has since asked to be forgotten is not posted, nor brought back by an edit.
  if (quotesForgotten(campaign, item)) return;
  if (item.kind === 'consent-update') return updateConsent(deps, campaign, platform, item.roundId);
  if (item.kind === 'action-update') return updateAction(deps, campaign, platform, item.answerId);
  if (item.kind === 'erase') return erase(deps, campaign, platform, item.post);
  pass.context ??= contextFor(deps, campaign, platform, pass.figures);
  const ctx = await pass.context;
  const made = pass.refs.get(item.dedupeKey);
  if (made) {
    // Posted before a crash took the rest of the step: finish it.
    if (item.kind === 'progress') await platform.update(campaign.channel, made, progressPost(ctx));
    return record(pass, await remember(deps, campaign, item, made));
  }
  const post = { ...(await compose(deps, ctx, item, campaign, log)), dedupeKey: item.dedupeKey };
  const since = await deps.lists.markIntent(
    campaignId,
    item.dedupeKey,
    now(deps).toISOString(),
    pass.unrecorded,
  );
  pass.unrecorded = undefined;
  const { ref } = await platform.post(campaign.channel, post, since ? { uncertainSince: since } : undefined);
  pass.unrecorded = { dedupeKey: item.dedupeKey, ref };
  pass.refs.set(item.dedupeKey, ref);
  log.info({ kind: item.kind, uncertain: Boolean(since) }, 'posted');
  record(pass, await remember(deps, campaign, item, ref));
}

function record(pass: Pass, post: PostRecord | undefined): void {
  if (post) pass.records.push(post);
}

/** A post saved before its member was forgotten: its answer is gone, or its stance has no reason left. */
function quotesForgotten(campaign: Campaign, item: OutboxItem): boolean {
  switch (item.kind) {
    case 'echo':
      return !campaign.answers[item.answerId] && isForgottenRef(campaign, item.answerId);
    case 'action':
    case 'action-update':
      return !campaign.actionConsents?.[item.answerId] && isForgottenRef(campaign, item.answerId);
    case 'stance': {
      const subject =
        item.answerId === undefined
          ? campaign.statements?.[item.blockId]
          : campaign.actionConsents?.[item.answerId];
      const record = subject?.versions[item.version - 1]?.stances[item.index];
      return record !== undefined && !record.reason && record.author.id.startsWith('forgotten-');
    }
    default:
      return false;
  }
}

/**
 * A post that quoted a forgotten member (their form answer's echo, their action's consent post, a
 * stance's reason), edited to say only that something was removed, its buttons gone. One never made,
 * or whose record has expired, shows nothing to erase.
 */
async function erase(deps: WorkerDeps, campaign: Campaign, platform: ChatPlatform, post: ErasedPost) {
  const dedupeKey =
    post.kind === 'echo'
      ? echoKey(campaign.id, post.answerId)
      : post.kind === 'action'
        ? actionKey(campaign.id, post.answerId)
        : stanceKey(campaign.id, post);
  const ref =
    (post.kind === 'stance' ? undefined : post.ref) ?? (await deps.lists.findPost(campaign.id, dedupeKey));
  if (!ref) return;
  const threadRef =
    post.kind === 'stance' && post.answerId === undefined
      ? await consentThread(deps, campaign, post.blockId)
      : await threadOf(deps, campaign, post.blockId);
  const kind = post.kind === 'action' ? 'action-consent' : post.kind;
  const composed = composeErased(await contextFor(deps, campaign, platform), kind);
  await platform.update(campaign.channel, ref, { ...composed, threadRef, dedupeKey });
}

/**
 * Posts referred to later (threads, updates in place, reactions on an echo): the record the campaign
 * needs of it, unless it has it already. A question's thread is linked at once (answers in it may come
 * before the pass ends).
 */
async function remember(
  deps: WorkerDeps,
  campaign: Campaign,
  item: OutboxItem,
  ref: string,
): Promise<PostRecord | undefined> {
  if (item.kind === 'question')
    await deps.store.linkThread(campaign.channel, ref, { campaignId: campaign.id, blockId: item.blockId });
  const target = targetOf(item);
  return target && !knows(campaign, target, ref) ? { target, ref } : undefined;
}

/** What the campaign calls the post of `item`, when it keeps its platform id. */
function targetOf(item: OutboxItem): PostTarget | undefined {
  switch (item.kind) {
    case 'question':
      return { kind: 'question', blockId: item.blockId };
    case 'intro':
    case 'progress':
      return { kind: item.kind };
    case 'round':
    case 'consent':
      return { kind: item.kind, roundId: item.roundId };
    case 'echo':
    case 'action':
      return { kind: item.kind, answerId: item.answerId };
    default:
      return undefined;
  }
}

/** Whether the campaign holds `ref` for `target` already (a post made again after a crash). */
function knows(campaign: Campaign, target: PostTarget, ref: string): boolean {
  switch (target.kind) {
    case 'question':
      return campaign.questions.find((q) => q.blockId === target.blockId)?.postRef === ref;
    case 'intro':
      return campaign.introPostRef === ref;
    case 'progress':
      return campaign.progressPostRef === ref;
    case 'round':
      return roundsOf(campaign).find((r) => r.id === target.roundId)?.postRef === ref;
    case 'consent':
      return campaign.consentPostRefs?.[target.roundId] === ref;
    case 'echo':
      return campaign.echoes?.[ref] === target.answerId;
    case 'action':
      return campaign.actionPostRefs?.[target.answerId] === ref;
    default: {
      const unknown: never = target;
      throw new Error(`unknown post target ${JSON.stringify(unknown)}`);
    }
  }
}

/** An action's consent post edited in place, as the action and its stances are now. */
async function updateAction(deps: WorkerDeps, campaign: Campaign, platform: ChatPlatform, answerId: string) {
  const dedupeKey = actionKey(campaign.id, answerId);
  const ref = campaign.actionPostRefs?.[answerId] ?? (await deps.lists.findPost(campaign.id, dedupeKey));
  if (!ref)
    throw new UnrecoverableError(`the consent post of action ${answerId} in ${campaign.id} was never made`);
  const composed = await composeActionPost(deps, await contextFor(deps, campaign, platform), answerId);
  await platform.update(campaign.channel, ref, { ...composed, dedupeKey });
}

/** An action's consent post, in its question's thread. */
async function composeActionPost(deps: WorkerDeps, ctx: ComposeContext, answerId: string) {
  const blockId = ctx.campaign.actionConsents?.[answerId]?.blockId;
  if (!blockId) throw new UnrecoverableError(`action ${answerId} of ${ctx.campaign.id} has no consent`);
  return { ...composeActionConsent(ctx, answerId), threadRef: await threadOf(deps, ctx.campaign, blockId) };
}

/**
 * The post that shows a round's statements edited in place as they are now: the next round's post that
 * hosts them, or the round's own consent post.
 */
async function updateConsent(deps: WorkerDeps, campaign: Campaign, platform: ChatPlatform, roundId: string) {
  const { dedupeKey, ref, host } = await consentPostOf(deps, campaign, roundId);
  const ctx = await contextFor(deps, campaign, platform);
  const composed = host ? composeRound(ctx, host) : composeConsent(ctx, roundId);
  await platform.update(campaign.channel, ref, { ...composed, dedupeKey });
}

/** Where a round's statements are shown (the hosting round, if any), and the key it was posted under. */
async function consentPostOf(deps: WorkerDeps, campaign: Campaign, roundId: string) {
  const host = consentHost(campaign, roundId);
  const dedupeKey = host ? roundKey(campaign.id, host) : consentKey(campaign.id, roundId);
  // Kept in the campaign: post records expire, and a statement may be revised weeks later.
  const kept = host
    ? roundsOf(campaign).find((r) => r.id === host)?.postRef
    : campaign.consentPostRefs?.[roundId];
  const ref = kept ?? (await deps.lists.findPost(campaign.id, dedupeKey));
  if (!ref)
    throw new UnrecoverableError(`the post showing ${roundId}'s statements in ${campaign.id} was never made`);
  return { dedupeKey, ref, host };
}

/** The coalesced edit of the living progress post, with the campaign as it is now. */
async function updateProgress(deps: WorkerDeps, campaignId: string): Promise<void> {
  const ref = await deps.lists.findPost(campaignId, progressKey(campaignId));
  if (!ref) return;
  const { campaign, figures } = await readCounted(deps, campaignId);
  if (!campaign) return;
  const platform = platformOf(deps, campaign);
  await platform.update(
    campaign.channel,
    ref,
    progressPost(await contextFor(deps, campaign, platform, figures)),
  );
}

function progressPost(ctx: ComposeContext): OutboundPost {
  return { ...composeProgress(ctx), dedupeKey: progressKey(ctx.campaign.id) };
}

function platformOf(deps: WorkerDeps, campaign: Campaign): ChatPlatform {
  const platform = deps.platforms.get(campaign.channel.platform);
  if (!platform) throw new Error(`no ${campaign.channel.platform} platform in this worker`);
  return platform;
}

const now = (deps: WorkerDeps) => (deps.clock ?? (() => new Date()))();

/**
 * What composing a post of `campaign` for `platform` needs. The canvas is compiled when a post first
 * asks for it, once: a pass of several posts shares it, and a post that shows none compiles nothing.
 * With `counted` figures the campaign was read without its answers: nothing may compile it then.
 */
async function contextFor(
  deps: WorkerDeps,
  campaign: Campaign,
  platform: ChatPlatform,
  counted?: CanvasFigures,
): Promise<ComposeContext> {
  const at = now(deps);
  const template = await deps.templates.of(campaign);
  let canvas: CompiledCanvas | undefined;
  const compiled = () => {
    if (counted) throw new Error(`a post of ${campaign.id} read without its answers asked for its canvas`);
    canvas ??= compileCanvas(campaign, template, at, (ref) => platform.permalink?.(campaign.channel, ref));
    return canvas;
  };
  let figures = counted;
  return {
    campaign,
    template,
    get canvas() {
      return compiled();
    },
    get figures() {
      figures ??= figuresOfCanvas(compiled());
      return figures;
    },
    format: platform.format,
    renderer: deps.renderer,
    publicUrl: deps.publicUrl,
    now: at,
    ...(deps.retentionDays === undefined ? {} : { retentionDays: deps.retentionDays }),
  };
}

/** A question's thread: its post was made earlier in the same ordered list, and recorded then. */
async function threadOf(deps: WorkerDeps, campaign: Campaign, blockId: string): Promise<string> {
  const ref =
    campaign.questions.find((q) => q.blockId === blockId)?.postRef ??
    (await deps.lists.findPost(campaign.id, questionKey(campaign.id, blockId)));
  if (!ref) throw new UnrecoverableError(`question ${blockId} of ${campaign.id} was never posted`);
  return ref;
}

/** The post that shows the block's statement: stances' reasons go in its thread. */
async function consentThread(deps: WorkerDeps, campaign: Campaign, blockId: string): Promise<string> {
  return (await consentPostOf(deps, campaign, roundIdOf(campaign, blockId) ?? '')).ref;
}

/**
 * The canvas sheet for a summary or digest, or nothing when it cannot be drawn: the picture is a
 * bonus, and a rendering bug must never cost the community its summary (nor retry it forever).
 */
async function pictureOf(canvas: CompiledCanvas, at: Date, log: Logger): Promise<{ file?: OutboundFile }> {
  try {
    return { file: await buildCanvasPicture(canvas, at) };
  } catch (err) {
    log.warn({ err }, 'canvas picture failed; posting without it');
    return {};
  }
}

async function compose(
  deps: WorkerDeps,
  ctx: ComposeContext,
  item: OutboxItem,
  campaign: Campaign,
  log: Logger,
): Promise<Composed> {
  switch (item.kind) {
    case 'intro':
      return composeIntro(ctx);
    case 'round':
      return composeRound(ctx, item.roundId);
    case 'question':
      return composeQuestion(ctx, item.blockId);
    case 'reminder': {
      const roundId =
        item.roundId ?? roundsOf(campaign).find((r) => r.blockIds.includes(item.blockId ?? ''))?.id;
      if (!roundId) throw new UnrecoverableError(`reminder ${item.dedupeKey} names no round`);
      return composeNudge(ctx, roundId);
    }
    case 'progress':
      return composeProgress(ctx);
    case 'notice':
      return composeNotice(ctx, item.key, item.vars ?? {});
    case 'summary':
      return { ...composeSummary(ctx, item.final), ...(await pictureOf(canvasOf(ctx), ctx.now, log)) };
    case 'digest':
      return {
        ...composeDigest(ctx, new Date(item.since), nextPostAt(campaign, ctx.now)),
        ...(await pictureOf(canvasOf(ctx), ctx.now, log)),
      };
    case 'export':
      return composeExportPost(ctx, await buildExport(canvasOf(ctx), item.format));
    case 'echo': {
      const answer = campaign.answers[item.answerId];
      if (!answer) throw new UnrecoverableError(`answer ${item.answerId} is gone`);
      return { ...composeEcho(ctx, answer), threadRef: await threadOf(deps, campaign, answer.blockId) };
    }
    case 'consent':
    case 'consent-update':
      return composeConsent(ctx, item.roundId);
    case 'stance':
      return {
        ...composeStance(ctx, item.blockId, item.version, item.index, item.answerId),
        // An action's stances go in its question's thread, where its consent post is.
        threadRef: item.answerId
          ? await threadOf(deps, campaign, item.blockId)
          : await consentThread(deps, campaign, item.blockId),
      };
    case 'action':
      return composeActionPost(deps, ctx, item.answerId);
    case 'action-update':
    case 'erase':
      throw new UnrecoverableError(`${item.kind} is an edit, not a post`);
    default: {
      const unknown: never = item;
      throw new UnrecoverableError(`unknown outbox item ${JSON.stringify(unknown)}`);
    }
  }
}
