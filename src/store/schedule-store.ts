import type { RedisClient } from '../redis-connections.js';
import { evalScript } from './eval-script.js';
import { keys } from './keys.js';
import { CLAIM_RUNS, COMPLETE_RUN, REMOVE_RUNS } from './schedule-scripts.js';

/** What a campaign has scheduled: its cadence's next run, its digest, and the open round's nudge. */
export const RUN_KINDS = ['tick', 'digest', 'reminder'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** What a nudge carries: the round and deadline it was timed for (`blockId`: a run saved before rounds). */
export interface ReminderArgs {
  roundId?: string;
  blockId?: string;
  closesAt?: string;
}

/** A scheduled run as the sorted set has it: one per campaign and kind, so each can be replaced alone. */
export interface ScheduledRun {
  kind: RunKind;
  campaignId: string;
  dueAt: Date;
  args?: ReminderArgs;
}

/** A run claimed by this worker: `token` ends the claim; `dueAt` is the run it stands for. */
export interface ClaimedRun extends ScheduledRun {
  token: string;
}

/** The member naming a campaign's run of a kind (campaign ids have no `|`). */
export const runMember = (kind: RunKind, campaignId: string) => `${kind}|${campaignId}`;

function readMember(member: string): { kind: RunKind; campaignId: string } | undefined {
  const bar = member.indexOf('|');
  const kind = member.slice(0, bar) as RunKind;
  if (bar < 0 || !RUN_KINDS.includes(kind)) return undefined;
  return { kind, campaignId: member.slice(bar + 1) };
}

/** A claim token `<due ms>|<kind>|<campaign id>|<args JSON or nothing>`; undefined when unreadable. */
function readToken(token: string): ClaimedRun | undefined {
  const [due, kind, campaignId, ...rest] = token.split('|');
  const parsed = readMember(`${kind}|${campaignId}`);
  const dueMs = Number(due);
  if (!parsed || !Number.isFinite(dueMs)) return undefined;
  const args = rest.join('|');
  try {
    return {
      ...parsed,
      dueAt: new Date(dueMs),
      token,
      ...(args ? { args: JSON.parse(args) as ReminderArgs } : {}),
    };
  } catch {
    return undefined;
  }
}

export interface ClaimResult {
  runs: ClaimedRun[];
  /** Tokens that could not be read (written by hand or by a bug): the caller ends their claims. */
  unreadable: string[];
  /** When the next run or lease end comes, when known (nothing scheduled, or more is due now: undefined). */
  nextAt?: number;
}

/**
 * Every campaign's next runs in one sorted set, so the work of scheduling grows with the runs due, not
 * with the campaigns: a worker asks for what is due, never looks at the rest. See schedule-scripts.ts.
 */
export function createScheduleStore(redis: RedisClient) {
  const due = keys.scheduleDue();
  const claimed = keys.scheduleClaimed();
  const argsKey = keys.scheduleArgs();
  const listeners = new Set<(at: Date) => void>();
  const added = (at: Date) => {
    for (const listener of listeners) listener(at);
  };

  return {
    /** Schedules the campaign's run of a kind at `at`, replacing the one it had. */
    async set(kind: RunKind, campaignId: string, at: Date, args?: ReminderArgs): Promise<void> {
      const member = runMember(kind, campaignId);
      const write = redis.multi();
      if (args) write.hset(argsKey, member, JSON.stringify(args));
      else write.hdel(argsKey, member);
      await write.zadd(due, at.getTime(), member).exec();
      added(at);
    },

    /** Schedules it only when the campaign has no run of that kind yet (what an upgrade carries over). */
    async add(kind: RunKind, campaignId: string, at: Date, args?: ReminderArgs): Promise<boolean> {
      const member = runMember(kind, campaignId);
      if (args) await redis.hsetnx(argsKey, member, JSON.stringify(args));
      const fresh = (await redis.zadd(due, 'NX', at.getTime(), member)) === 1;
      if (fresh) added(at);
      return fresh;
    },

    /**
     * Calls `listener` with the time of each run this process schedules: its sweeper wakes early for
     * one due sooner than it planned to look (runs scheduled elsewhere wait at most its poll interval).
     * Returns the way to stop listening.
     */
    onScheduled(listener: (at: Date) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Removes the campaign's runs of these kinds, and the claims in progress on them. */
    async remove(campaignId: string, kinds: readonly RunKind[] = RUN_KINDS): Promise<void> {
      const members = kinds.map((kind) => runMember(kind, campaignId));
      await evalScript(redis, REMOVE_RUNS, 3, due, claimed, argsKey, ...members);
    },

    /** The campaign's scheduled runs, soonest first (runs being made are not among them). */
    async of(campaignId: string): Promise<ScheduledRun[]> {
      const members = RUN_KINDS.map((kind) => runMember(kind, campaignId));
      const [scores, args] = await Promise.all([
        redis.zmscore(due, ...members),
        redis.hmget(argsKey, ...members),
      ]);
      const runs: ScheduledRun[] = [];
      RUN_KINDS.forEach((kind, i) => {
        const score = scores[i];
        if (score === null || score === undefined) return;
        const carried = args[i];
        runs.push({
          kind,
          campaignId,
          dueAt: new Date(Number(score)),
          ...(carried ? { args: JSON.parse(carried) as ReminderArgs } : {}),
        });
      });
      return runs.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    },

    /** Whether a run of the campaign is being made now (claimed, not yet ended). */
    async inProgress(campaignId: string, kind: RunKind): Promise<boolean> {
      const member = `|${runMember(kind, campaignId)}|`;
      const tokens = await redis.zrange(claimed, '0', '-1');
      return tokens.some((token) => token.includes(member));
    },

    /** Claims up to `limit` runs due by `now`, each held until `now + leaseMs`. */
    async claim(now: Date, leaseMs: number, limit: number): Promise<ClaimResult> {
      const reply = (await evalScript(
        redis,
        CLAIM_RUNS,
        3,
        due,
        claimed,
        argsKey,
        now.getTime(),
        now.getTime() + leaseMs,
        limit,
      )) as string[];
      const [nextAt = '', ...tokens] = reply;
      const runs: ClaimedRun[] = [];
      const unreadable: string[] = [];
      for (const token of tokens) {
        const run = readToken(token);
        if (run) runs.push(run);
        else unreadable.push(token);
      }
      return { runs, unreadable, ...(nextAt ? { nextAt: Number(nextAt) } : {}) };
    },

    /**
     * Ends the claim on `token` and schedules the run's next one at `next` (unless rescheduled
     * meanwhile). False when the claim was gone: removed with its campaign's schedule, or taken over.
     */
    async complete(token: string, next?: Date): Promise<boolean> {
      const run = readToken(token);
      const member = run ? runMember(run.kind, run.campaignId) : '';
      const nextMs = run && next ? String(next.getTime()) : '';
      return (await evalScript(redis, COMPLETE_RUN, 2, due, claimed, token, member, nextMs)) === 1;
    },

    /** How many runs are scheduled, and how many are being made: for /metrics. */
    async counts(): Promise<{ scheduled: number; inProgress: number }> {
      const [scheduled, inProgress] = await Promise.all([redis.zcard(due), redis.zcard(claimed)]);
      return { scheduled, inProgress };
    },
  };
}

export type ScheduleStore = ReturnType<typeof createScheduleStore>;
