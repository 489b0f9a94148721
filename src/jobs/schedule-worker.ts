import type { Job } from 'bullmq';
import type { CampaignEvent } from '../facilitation/types.js';
import type { ScheduleJob } from './job-types.js';
import { sweep } from './sweeper.js';
import type { WorkerDeps } from './worker-deps.js';

/** Scheduled runs become campaign events, through the inbox like any other; the machine decides whether they still matter. */
export function createScheduleProcessor(deps: WorkerDeps) {
  return async (job: Job<ScheduleJob['data'], void, ScheduleJob['name']>): Promise<void> => {
    const scheduled = { name: job.name, data: job.data } as ScheduleJob;
    if (scheduled.name === 'sweep') return sweep(deps);
    await deps.events.submit(scheduled.data.campaignId, eventOf(scheduled));
  };
}

function eventOf(job: Exclude<ScheduleJob, { name: 'sweep' }>): CampaignEvent {
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
