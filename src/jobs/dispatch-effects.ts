import type { Campaign, Effect } from '../facilitation/types.js';
import { removeCampaignSchedule, scheduleReminder, setCampaignSchedule } from './campaign-schedule.js';
import type { CompileJob, OutboxItem } from './job-types.js';
import type { Queues } from './queues.js';

/**
 * Turns a saved transition's effects into queued jobs. Posts of one transition travel in one outbox
 * job so they reach the channel in order (intro before the first question). Job ids derive from the
 * campaign's version, so a transition's jobs are queued once however often this is retried.
 */
export async function dispatchEffects(
  queues: Queues,
  campaign: Campaign,
  effects: readonly Effect[],
  now: Date,
): Promise<void> {
  const tag = `${campaign.id}-v${campaign.version}`;
  const items: OutboxItem[] = [];
  const compileJobs: CompileJob[] = [];
  for (const [index, effect] of effects.entries()) {
    switch (effect.type) {
      case 'post-intro':
        items.push({ kind: 'intro', dedupeKey: `${campaign.id}-intro` });
        break;
      case 'post-question':
        items.push({
          kind: 'question',
          blockId: effect.blockId,
          dedupeKey: `${campaign.id}-q-${effect.blockId}`,
        });
        break;
      case 'post-reminder':
        items.push({
          kind: 'reminder',
          blockId: effect.blockId,
          dedupeKey: `${campaign.id}-r-${effect.blockId}`,
        });
        break;
      case 'update-progress':
        items.push({ kind: 'progress', dedupeKey: `${tag}-progress` });
        break;
      case 'notice':
        items.push({ kind: 'notice', key: effect.key, vars: effect.vars, dedupeKey: `${tag}-n${index}` });
        break;
      case 'schedule-reminder':
        await scheduleReminder(queues, campaign, effect.blockId, now);
        break;
      case 'set-schedule':
        await setCampaignSchedule(queues, campaign);
        break;
      case 'remove-schedule':
        await removeCampaignSchedule(queues, campaign.id);
        break;
      case 'compile-canvas':
        compileJobs.push({
          name: 'compile',
          data: { campaignId: campaign.id, final: effect.final, dedupeKey: `${tag}-summary` },
        });
        break;
      case 'post-digest':
        compileJobs.push({
          name: 'digest',
          data: { campaignId: campaign.id, since: effect.since, dedupeKey: `${tag}-digest` },
        });
        break;
      case 'export':
        compileJobs.push({
          name: 'export',
          data: {
            campaignId: campaign.id,
            format: effect.format,
            requestedBy: effect.requestedBy,
            dedupeKey: `${tag}-export-${effect.format}`,
          },
        });
        break;
      case 'close-question':
      case 'reply':
        // A closed question shows in the progress post; replies go back to the caller.
        break;
      default: {
        const unhandled: never = effect;
        throw new Error(`unhandled effect ${JSON.stringify(unhandled)}`);
      }
    }
  }
  if (items.length > 0) await enqueuePosts(queues, campaign.id, items, `${tag}-posts`);
  for (const job of compileJobs) {
    await queues.compile.add(job.name, job.data, { jobId: job.data.dedupeKey });
  }
}

export async function enqueuePosts(
  queues: Queues,
  campaignId: string,
  items: OutboxItem[],
  jobId: string,
): Promise<void> {
  await queues.outbox.add('post', { campaignId, items }, { jobId });
}
