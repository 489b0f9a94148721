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
    await deps.events.submit(scheduled.data.campaignId, eventOf(scheduled, runOf(job)));
  };
}

/** The run a scheduler's job stands for (BullMQ keeps it in `prevMillis`), else when it was due. */
function runOf(job: Job): Date {
  return new Date(job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0));
}

function eventOf(job: Exclude<ScheduleJob, { name: 'sweep' }>, runAt: Date): CampaignEvent {
  switch (job.name) {
    case 'tick':
      return { type: 'tick', runAt: runAt.toISOString() };
    case 'digest':
      return { type: 'digest-due' };
    case 'reminder': {
      const { campaignId: _campaign, at: _at, ...round } = job.data;
      return { type: 'reminder-due', ...round };
    }
    default: {
      const unknown: never = job;
      throw new Error(`unknown schedule job ${JSON.stringify(unknown)}`);
    }
  }
}
