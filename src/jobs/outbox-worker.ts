import { type Job, UnrecoverableError } from 'bullmq';
import { compileCanvas } from '../canvas/compile.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Campaign } from '../facilitation/types.js';
import type { ChatPlatform, OutboundFile, OutboundPost } from '../platform.js';
import {
  type ComposeContext,
  composeDigest,
  composeEcho,
  composeExportPost,
  composeIntro,
  composeNotice,
  composeProgress,
  composeQuestion,
  composeReminder,
  composeSummary,
} from '../render/compose.js';
import { nextPostAt } from './campaign-schedule.js';
import type { OutboxItem, OutboxJobData } from './job-types.js';
import type { WorkerDeps } from './worker-deps.js';

type Composed = Omit<OutboundPost, 'dedupeKey'>;

/** Posts a transition's messages in order; each one once, even when the job is retried. */
export function createOutboxProcessor(deps: WorkerDeps) {
  return async (job: Job<OutboxJobData>): Promise<void> => {
    const { store, engine } = deps;
    for (const item of job.data.items) {
      // Reload for every item: an earlier item may have recorded a ref this one needs.
      const campaign = await store.get(job.data.campaignId);
      if (!campaign) throw new UnrecoverableError(`campaign ${job.data.campaignId} is gone`);
      const platform = deps.platforms.get(campaign.channel.platform);
      if (!platform) throw new Error(`no ${campaign.channel.platform} platform in this worker`);
      const template = await engine.templateOf(campaign);
      const ctx = contextFor(deps, campaign, template, platform);
      if (item.kind === 'progress' && campaign.progressPostRef) {
        await platform.update(campaign.channel, campaign.progressPostRef, {
          ...composeProgress(ctx),
          dedupeKey: item.dedupeKey,
        });
        continue;
      }
      const dedupeKey = item.kind === 'progress' ? `${campaign.id}-progress` : item.dedupeKey;
      let ref = await store.findPost(dedupeKey);
      if (!ref) {
        const post = { ...compose(ctx, item, campaign), dedupeKey };
        ref = (await platform.post(campaign.channel, post)).ref;
        await store.recordPost(dedupeKey, ref);
        deps.logger.info({ campaign: campaign.id, job: job.id, kind: item.kind }, 'posted');
        if ('file' in item && item.file) await job.updateData(withoutFileBytes(job.data, item));
      }
      await remember(deps, campaign, item, ref);
    }
  };
}

/**
 * A posted file's bytes (a sheet is half a megabyte) need not stay in Redis with the finished job for
 * the week it is kept: once the post is recorded, a retry never composes it again.
 */
function withoutFileBytes(data: OutboxJobData, posted: OutboxItem): OutboxJobData {
  return {
    ...data,
    items: data.items.map((item) =>
      item === posted && 'file' in item && item.file ? { ...item, file: { ...item.file, base64: '' } } : item,
    ),
  };
}

/** Question, intro and progress posts are referred to later: threads, updates in place. */
async function remember(deps: WorkerDeps, campaign: Campaign, item: OutboxItem, ref: string): Promise<void> {
  if (item.kind === 'question') {
    await deps.store.linkThread(campaign.channel, ref, { campaignId: campaign.id, blockId: item.blockId });
    const question = campaign.questions.find((q) => q.blockId === item.blockId);
    if (question?.postRef !== ref) {
      await deps.engine.apply(campaign.id, {
        type: 'post-recorded',
        target: { kind: 'question', blockId: item.blockId },
        ref,
      });
    }
  } else if (item.kind === 'intro' && campaign.introPostRef !== ref) {
    await deps.engine.apply(campaign.id, { type: 'post-recorded', target: { kind: 'intro' }, ref });
  } else if (item.kind === 'progress' && campaign.progressPostRef !== ref) {
    await deps.engine.apply(campaign.id, { type: 'post-recorded', target: { kind: 'progress' }, ref });
  }
}

export function contextFor(
  deps: WorkerDeps,
  campaign: Campaign,
  template: CanvasTemplate,
  platform: ChatPlatform,
): ComposeContext {
  const now = (deps.clock ?? (() => new Date()))();
  return {
    campaign,
    template,
    canvas: compileCanvas(campaign, template, now),
    format: platform.format,
    renderer: deps.renderer,
    publicUrl: deps.publicUrl,
    now,
  };
}

function threadOf(campaign: Campaign, blockId: string): string {
  const ref = campaign.questions.find((q) => q.blockId === blockId)?.postRef;
  // The question's own post is recorded by an earlier job; retry until it is.
  if (!ref) throw new Error(`question ${blockId} of ${campaign.id} has no post yet`);
  return ref;
}

/** The canvas sheet rides on its post, so each platform shows them together. */
function withPicture(post: Composed, file: OutboundFile | undefined): Composed {
  return file ? { ...post, file } : post;
}

function compose(ctx: ComposeContext, item: OutboxItem, campaign: Campaign): Composed {
  switch (item.kind) {
    case 'intro':
      return composeIntro(ctx);
    case 'question':
      return composeQuestion(ctx, item.blockId);
    case 'reminder':
      return {
        ...composeReminder(ctx, item.blockId, nextPostAt(campaign, ctx.now)),
        threadRef: threadOf(campaign, item.blockId),
      };
    case 'progress':
      return composeProgress(ctx);
    case 'notice':
      return composeNotice(ctx, item.key, item.vars ?? {});
    case 'summary':
      return withPicture(composeSummary(ctx, item.final), item.file);
    case 'digest':
      return withPicture(composeDigest(ctx, new Date(item.since), nextPostAt(campaign, ctx.now)), item.file);
    case 'export':
      return composeExportPost(ctx, item.file);
    case 'echo': {
      const answer = campaign.answers[item.answerId];
      if (!answer) throw new UnrecoverableError(`answer ${item.answerId} is gone`);
      return { ...composeEcho(ctx, answer), threadRef: threadOf(campaign, answer.blockId) };
    }
    default: {
      const unknown: never = item;
      throw new UnrecoverableError(`unknown outbox item ${JSON.stringify(unknown)}`);
    }
  }
}
