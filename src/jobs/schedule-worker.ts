import type { Job } from 'bullmq';
import type { CampaignEvent } from '../facilitation/types.js';
import type { ScheduleJob } from './job-types.js';
import type { WorkerDeps } from './worker-deps.js';

/** Scheduled runs become campaign events; the machine decides whether they still matter. */
export function createScheduleProcessor(deps: WorkerDeps) {
  return async (job: Job<ScheduleJob['data'], void, ScheduleJob['name']>): Promise<void> => {
    const event = eventOf({ name: job.name, data: job.data } as ScheduleJob);
    const result = await deps.engine.apply(job.data.campaignId, event);
    if (!result.ok)
      deps.logger.debug({ campaign: job.data.campaignId, job: job.id, error: result.error }, 'ignored');
  };
}

function eventOf(job: ScheduleJob): CampaignEvent {
  switch (job.name) {
    case 'tick':
      return { type: 'tick' };
    case 'digest':
      return { type: 'digest-due' };
    case 'reminder':
      return { type: 'reminder-due', blockId: job.data.blockId };
    default: {
      const unknown: never = job;
      throw new Error(`unknown schedule job ${JSON.stringify(unknown)}`);
    }
  }
}
