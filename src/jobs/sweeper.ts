import type { Campaign, CampaignEvent } from '../facilitation/types.js';
import type { Logger } from '../logger.js';
import type { ClaimedRun, ScheduleStore } from '../store/schedule-store.js';
import type { CampaignStore } from '../store/types.js';
import { nextRunOf } from './campaign-schedule.js';
import type { CampaignEvents } from './worker-deps.js';

/** Runs claimed at once; a full batch is followed by another claim without waiting. */
export const SWEEP_BATCH = 50;
/** How long a claimed run is held: a worker that dies holding it leaves it to another after this. */
export const RUN_LEASE_MS = 60_000;
/**
 * The longest the sweeper waits before looking again: a run scheduled by another process is made at
 * most this late. Idle, a process asks Redis once per interval, whatever the number of campaigns.
 */
export const SWEEP_POLL_MS = 1_000;
/** Runs of one batch made at once (each is a few Redis round trips). */
const RUNS_AT_ONCE = 8;

export interface SweeperDeps {
  schedule: ScheduleStore;
  store: CampaignStore;
  events: CampaignEvents;
  logger: Logger;
  clock?: () => Date;
}

export interface Sweeper {
  /** Claims and makes every run due now (one batch); resolves once they are made. */
  sweepOnce(): Promise<number>;
  close(): Promise<void>;
}

const isEnded = (c: Campaign) => c.status === 'completed' || c.status === 'cancelled';

/** The event a run submits to its campaign; each is harmless when submitted twice (see the machine). */
function eventOf(run: ClaimedRun): CampaignEvent {
  const runAt = run.dueAt.toISOString();
  switch (run.kind) {
    case 'tick':
      return { type: 'tick', runAt };
    case 'digest':
      return { type: 'digest-due', runAt };
    case 'reminder':
      return { type: 'reminder-due', ...run.args };
    default: {
      const unknown: never = run.kind;
      throw new Error(`unknown scheduled run ${String(unknown)}`);
    }
  }
}

/**
 * Makes one claimed run: submits its event through the campaign's inbox (durable once submitted),
 * then ends the claim with the kind's next run, counted from the run it stood for or from now, if
 * later: after downtime the one overdue run is made (the machine skips a tick more than 2 h late),
 * never a burst. A run whose campaign ended or is gone is dropped. On failure the claim stays, and
 * the run is made again once its lease runs out.
 */
async function makeRun(deps: SweeperDeps, run: ClaimedRun, now: Date): Promise<void> {
  try {
    const campaign = (await deps.store.load(run.campaignId, []))?.campaign;
    if (!campaign || isEnded(campaign)) {
      await deps.schedule.complete(run.token);
      return;
    }
    // A paused campaign's ticks do nothing: not even an inbox entry.
    if (run.kind !== 'tick' || campaign.status === 'running')
      await deps.events.submit(run.campaignId, eventOf(run));
    const after = new Date(Math.max(run.dueAt.getTime(), now.getTime()));
    const next = run.kind === 'reminder' ? undefined : nextRunOf(campaign, run.kind, after);
    await deps.schedule.complete(run.token, next);
  } catch (err) {
    deps.logger.warn(
      { err, campaign: run.campaignId, run: run.kind },
      'scheduled run failed; made again after its lease',
    );
  }
}

/**
 * Claims what is due now (one batch) and makes it; returns how many runs were claimed, and when the
 * next comes. What the sweeper's loop does each time it wakes.
 */
export async function sweep(deps: SweeperDeps): Promise<{ claimed: number; nextAt?: number }> {
  const now = deps.clock?.() ?? new Date();
  const { runs, unreadable, nextAt } = await deps.schedule.claim(now, RUN_LEASE_MS, SWEEP_BATCH);
  for (const token of unreadable) {
    deps.logger.error({ token }, 'unreadable scheduled run dropped');
    await deps.schedule.complete(token);
  }
  const queue = [...runs];
  const makers = Array.from({ length: Math.min(RUNS_AT_ONCE, queue.length) }, async () => {
    for (let run = queue.shift(); run; run = queue.shift()) await makeRun(deps, run, now);
  });
  await Promise.all(makers);
  return { claimed: runs.length + unreadable.length, ...(nextAt === undefined ? {} : { nextAt }) };
}

/**
 * The one scheduler of a `work` process: every campaign's ticks, digests and nudges sit in one sorted
 * set, and each process asks only for the runs due now, then sleeps until the next one is due (at most
 * SWEEP_POLL_MS). Claims are atomic, so each run is made by one process, however many there are.
 */
export function startSweeper(deps: SweeperDeps): Sweeper {
  const clock = () => (deps.clock?.() ?? new Date()).getTime();
  let closed = false;
  let wake: (() => void) | undefined;
  /** When the sleeping loop means to look again (on the sweeper's clock). */
  let wakeAt = Number.POSITIVE_INFINITY;
  const stopListening = deps.schedule.onScheduled((at) => {
    if (at.getTime() < wakeAt) wake?.();
  });
  const loop = (async () => {
    while (!closed) {
      let delay = SWEEP_POLL_MS;
      try {
        const { claimed, nextAt } = await sweep(deps);
        if (claimed >= SWEEP_BATCH) continue;
        if (nextAt !== undefined) delay = Math.min(SWEEP_POLL_MS, Math.max(5, nextAt - clock()));
      } catch (err) {
        deps.logger.warn({ err }, 'sweep failed; trying again');
      }
      if (closed) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeAt = clock() + delay;
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      wakeAt = Number.POSITIVE_INFINITY;
    }
  })();
  return {
    async sweepOnce() {
      return (await sweep(deps)).claimed;
    },
    async close() {
      closed = true;
      stopListening();
      wake?.();
      await loop;
    },
  };
}
