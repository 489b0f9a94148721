import { type Job, UnrecoverableError } from 'bullmq';
import { compileCanvas } from '../canvas/compile.js';
import type { Campaign } from '../facilitation/types.js';
import type { OutboundFile } from '../platform.js';
import { buildCanvasPicture, buildExport } from './build-export.js';
import { enqueuePosts } from './dispatch-effects.js';
import type { CompileJob } from './job-types.js';
import type { WorkerDeps } from './worker-deps.js';

/** The heavy work: compiling the canvas, rendering its sheet and exports, then handing the posts to the outbox. */
export function createCompileProcessor(deps: WorkerDeps) {
  return async (job: Job<CompileJob['data'], void, CompileJob['name']>): Promise<void> => {
    const { store, queues } = deps;
    const data = job.data;
    const campaign = await store.get(data.campaignId);
    if (!campaign) throw new UnrecoverableError(`campaign ${data.campaignId} is gone`);
    const postJobId = `${data.dedupeKey}-post`;
    if ('final' in data) {
      const file = await pictureOf(deps, campaign, job.id);
      await enqueuePosts(
        queues,
        campaign.id,
        [{ kind: 'summary', final: data.final, dedupeKey: data.dedupeKey, ...(file ? { file } : {}) }],
        postJobId,
      );
    } else if ('since' in data) {
      const file = await pictureOf(deps, campaign, job.id);
      await enqueuePosts(
        queues,
        campaign.id,
        [{ kind: 'digest', since: data.since, dedupeKey: data.dedupeKey, ...(file ? { file } : {}) }],
        postJobId,
      );
    } else {
      const template = await deps.engine.templateOf(campaign);
      const now = (deps.clock ?? (() => new Date()))();
      const file = await buildExport(compileCanvas(campaign, template, now), data.format);
      await enqueuePosts(
        queues,
        campaign.id,
        [
          {
            kind: 'export',
            file,
            format: data.format,
            requestedBy: data.requestedBy,
            dedupeKey: data.dedupeKey,
          },
        ],
        postJobId,
      );
    }
  };
}

/**
 * The canvas sheet for a summary or digest, or nothing when it cannot be drawn: the picture is a
 * bonus, and a rendering bug must never cost the community its summary (nor retry it forever).
 */
async function pictureOf(
  deps: WorkerDeps,
  campaign: Campaign,
  jobId: string | undefined,
): Promise<OutboundFile | undefined> {
  try {
    const template = await deps.engine.templateOf(campaign);
    const now = (deps.clock ?? (() => new Date()))();
    return await buildCanvasPicture(compileCanvas(campaign, template, now), now);
  } catch (err) {
    deps.logger.warn({ err, campaign: campaign.id, job: jobId }, 'canvas picture failed; posting without it');
    return undefined;
  }
}
