import { type Job, UnrecoverableError } from 'bullmq';
import { compileCanvas } from '../canvas/compile.js';
import { buildExport } from './build-export.js';
import { enqueuePosts } from './dispatch-effects.js';
import type { CompileJob } from './job-types.js';
import type { WorkerDeps } from './worker-deps.js';

/** The heavy work: compiling the canvas and building exports, then handing the posts to the outbox. */
export function createCompileProcessor(deps: WorkerDeps) {
  return async (job: Job<CompileJob['data'], void, CompileJob['name']>): Promise<void> => {
    const { store, queues, engine } = deps;
    const data = job.data;
    const campaign = await store.get(data.campaignId);
    if (!campaign) throw new UnrecoverableError(`campaign ${data.campaignId} is gone`);
    const postJobId = `${data.dedupeKey}-post`;
    if ('final' in data) {
      await enqueuePosts(
        queues,
        campaign.id,
        [{ kind: 'summary', final: data.final, dedupeKey: data.dedupeKey }],
        postJobId,
      );
    } else if ('since' in data) {
      await enqueuePosts(
        queues,
        campaign.id,
        [{ kind: 'digest', since: data.since, dedupeKey: data.dedupeKey }],
        postJobId,
      );
    } else {
      const template = await engine.templateOf(campaign);
      const now = (deps.clock ?? (() => new Date()))();
      const file = buildExport(compileCanvas(campaign, template, now), data.format);
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
