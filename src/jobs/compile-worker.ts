import { type Job, UnrecoverableError } from 'bullmq';
import type { CompiledCanvas } from '../canvas/canvas-types.js';
import { compileCanvas } from '../canvas/compile.js';
import type { Logger } from '../logger.js';
import type { OutboundFile } from '../platform.js';
import { buildCanvasPicture, buildExport } from './build-export.js';
import { enqueuePosts } from './dispatch-effects.js';
import type { CompileJob, OutboxItem } from './job-types.js';
import type { WorkerDeps } from './worker-deps.js';

type CompileJobData = CompileJob['data'];

/** The heavy work: compiling the canvas, rendering its sheet and exports, then handing the posts to the outbox. */
export function createCompileProcessor(deps: WorkerDeps) {
  return async (job: Job<CompileJobData, void, CompileJob['name']>): Promise<void> => {
    const data = job.data;
    const campaign = await deps.store.get(data.campaignId);
    if (!campaign) throw new UnrecoverableError(`campaign ${data.campaignId} is gone`);
    const now = (deps.clock ?? (() => new Date()))();
    const canvas = async () => compileCanvas(campaign, await deps.engine.templateOf(campaign), now);
    const log = deps.logger.child({ campaign: campaign.id, job: job.id });
    const item = await outboxItem(data, canvas, now, log);
    await enqueuePosts(deps.queues, campaign.id, [item], `${data.dedupeKey}-post`);
  };
}

async function outboxItem(
  data: CompileJobData,
  canvas: () => Promise<CompiledCanvas>,
  now: Date,
  log: Logger,
): Promise<OutboxItem> {
  const { dedupeKey } = data;
  if ('final' in data) {
    return {
      kind: 'summary',
      final: data.final,
      dedupeKey,
      ...(await pictureOf(canvas, now, log)),
    };
  }
  if ('since' in data) {
    return { kind: 'digest', since: data.since, dedupeKey, ...(await pictureOf(canvas, now, log)) };
  }
  const file = await buildExport(await canvas(), data.format);
  return { kind: 'export', file, format: data.format, requestedBy: data.requestedBy, dedupeKey };
}

/**
 * The canvas sheet for a summary or digest, or nothing when it cannot be drawn: the picture is a
 * bonus, and a rendering bug must never cost the community its summary (nor retry it forever).
 */
async function pictureOf(
  canvas: () => Promise<CompiledCanvas>,
  now: Date,
  log: Logger,
): Promise<{ file?: OutboundFile }> {
  try {
    return { file: await buildCanvasPicture(await canvas(), now) };
  } catch (err) {
    log.warn({ err }, 'canvas picture failed; posting without it');
    return {};
  }
}
