import { openRound } from '../facilitation/rounds.js';
import type { Campaign } from '../facilitation/types.js';
import type { CampaignLists } from '../store/campaign-lists.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { CampaignStore } from '../store/types.js';
import { removeCampaignSchedule, scheduleReminder, setCampaignSchedule } from './campaign-schedule.js';
import type { RelayEffect, RelayEntry } from './job-types.js';
import type { Queues } from './queues.js';

/** The living progress post is edited at most once per window, with the state at the window's end. */
export const PROGRESS_WINDOW_MS = 5_000;

/**
 * The progress window this process last asked a progress edit for, per campaign: a burst of answers
 * asks for the same edit many times, and the job id would make all but one a no-op anyway. A cache,
 * not state: another process asking again only adds nothing.
 */
const progressAsked = new Map<string, number>();
const PROGRESS_MEMORY = 10_000;

function remember(campaignId: string, window: number): void {
  progressAsked.delete(campaignId);
  progressAsked.set(campaignId, window);
  if (progressAsked.size > PROGRESS_MEMORY) progressAsked.delete(progressAsked.keys().next().value as string);
}

const progressWindow = (at: string) => Math.floor(Date.parse(at) / PROGRESS_WINDOW_MS);

/**
 * Whether relaying these effects, saved by a transition at `at`, would add anything: not when they are
 * only the progress edit this process has asked for in that window already (the usual answer). The
 * inbox then saves no effects entry at all, and an answer costs no relay.
 */
export function relayAddsJobs(campaignId: string, effects: readonly RelayEffect[], at: string): boolean {
  const window = progressWindow(at);
  return effects.some((e) => e.type !== 'progress' || progressAsked.get(campaignId) !== window);
}

export interface RelayDeps {
  store: CampaignStore;
  lists: CampaignLists;
  queues: Queues;
  schedule: ScheduleStore;
}

/**
 * Turns the effects saved with a campaign's transitions into BullMQ jobs and scheduled runs, oldest
 * first, and removes each once they exist. Job ids derive from the transition and a campaign has one
 * run of each kind, so relaying again after a crash (the next apply or the sweeper does) adds nothing
 * twice.
 */
export async function relayEffects(deps: RelayDeps, campaignId: string): Promise<void> {
  let campaign: Campaign | null | undefined;
  for (;;) {
    const raw = await deps.lists.effectsHead(campaignId);
    if (!raw) return;
    const entry = JSON.parse(raw) as RelayEntry;
    for (const effect of entry.effects) {
      switch (effect.type) {
        case 'flush':
          await enqueueFlush(deps.queues, campaignId, `v${entry.version}`);
          break;
        case 'progress': {
          const window = progressWindow(entry.at);
          if (progressAsked.get(campaignId) === window) break;
          const delay = (window + 1) * PROGRESS_WINDOW_MS - Date.parse(entry.at);
          await deps.queues.outbox.add(
            'progress',
            { campaignId },
            { jobId: `${campaignId}-progress-${window}`, delay: Math.max(0, delay) },
          );
          // Once the job exists: an add that failed is tried again by the next relay.
          remember(campaignId, window);
          break;
        }
        case 'set-schedule':
        case 'schedule-reminder': {
          // Schedules follow the campaign as it is now: a later transition may have changed them.
          campaign ??= (await deps.store.load(campaignId, []))?.campaign ?? null;
          if (!campaign) break;
          if (effect.type === 'set-schedule') {
            // Counted from the transition that set it, so a relay repeated later plans the same runs.
            if (campaign.status === 'running')
              await setCampaignSchedule(deps.schedule, campaign, new Date(entry.at));
          } else {
            const roundId = effect.roundId ?? openRound(campaign)?.id;
            if (roundId) await scheduleReminder(deps.schedule, campaign, roundId);
          }
          break;
        }
        case 'remove-schedule':
          await removeCampaignSchedule(deps.schedule, campaignId);
          break;
        default: {
          const unknown: never = effect;
          throw new Error(`unknown relay effect ${JSON.stringify(unknown)}`);
        }
      }
    }
    await deps.lists.popEffect(campaignId, raw);
  }
}

/** Asks a worker to make the campaign's pending posts; `tag` tells apart the requests for one campaign. */
export async function enqueueFlush(queues: Queues, campaignId: string, tag: string): Promise<void> {
  await queues.outbox.add('flush', { campaignId }, { jobId: `${campaignId}-flush-${tag}` });
}
