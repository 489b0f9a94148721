/**
 * Starts campaigns as the product does (`/canevas start` through the engine: the campaign, its first
 * posts queued, its schedules), one per channel, many at once.
 */
import type { Runtime } from '../adapters/runtime.js';
import type { ChannelRef, PlatformName } from '../src/index.js';
import { spawnScript } from './processes.js';

const admin = { id: 'UADMIN0', name: 'Ada', isAdmin: true };

export interface CampaignBatch {
  platform: PlatformName;
  workspace: string;
  /** Channels are `<prefix><index>`, for indexes from `from` (included) to `to` (excluded). */
  prefix: string;
  from: number;
  to: number;
}

export const channelOf = (batch: CampaignBatch, i: number): ChannelRef => ({
  platform: batch.platform,
  workspace: batch.workspace,
  channel: `${batch.prefix}${i}`,
});

/** Starts the batch's campaigns, `inFlight` at a time; `progress` hears the count now and then. */
export async function startCampaigns(
  runtime: Runtime,
  batch: CampaignBatch,
  inFlight: number,
  progress: (started: number) => void = () => undefined,
): Promise<void> {
  let next = batch.from;
  let started = 0;
  const lane = async () => {
    while (next < batch.to) {
      await startOne(runtime, channelOf(batch, next++));
      if (++started % 1_000 === 0) progress(started);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/** Tries of one start: on a machine loaded past its cores, a command may time out and a start be refused as busy. */
const TRIES = 5;

async function startOne(runtime: Runtime, channel: ChannelRef): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const reply = await runtime.engine.command({ channel, actor: admin, text: 'start lang:en' });
      // A try that timed out after its campaign was made has started it all the same.
      if (reply.ok || (attempt > 1 && reply.error === 'already-running')) return;
      if (reply.error !== 'busy' || attempt >= TRIES)
        throw new Error(`bench: start in ${channel.channel} refused: ${reply.text}`);
    } catch (err) {
      if (attempt >= TRIES) throw err;
    }
    await new Promise((r) => setTimeout(r, 200 * attempt));
  }
}

/**
 * The batch shared among `processes` child processes (bench/campaign-starter.ts), each starting its
 * part `inFlight` at a time: a start is mostly this process's CPU, and the machine has more than one core.
 */
export async function startCampaignsInChildren(
  redisUrl: string,
  batch: CampaignBatch,
  processes: number,
  inFlight: number,
  progress: (started: number) => void = () => undefined,
): Promise<void> {
  const size = batch.to - batch.from;
  const counts = new Array<number>(processes).fill(0);
  const children = Array.from({ length: processes }, (_, p) => {
    const part = {
      ...batch,
      from: batch.from + Math.floor((size * p) / processes),
      to: batch.from + Math.floor((size * (p + 1)) / processes),
    };
    return spawnScript('bench/campaign-starter.ts', [JSON.stringify(part), String(inFlight)], {
      REDIS_URL: redisUrl,
    });
  });
  try {
    await Promise.all(
      children.map(
        (child, p) =>
          new Promise<void>((resolve, reject) => {
            child.onMessage((m) => {
              if (typeof m.started === 'number') {
                counts[p] = m.started;
                progress(counts.reduce((a, b) => a + b, 0));
              }
              if (typeof m.done === 'number') resolve();
            });
            void child.exited.then((code) =>
              reject(new Error(`bench: a campaign starter exited (${code}):\n${child.stderrTail()}`)),
            );
          }),
      ),
    );
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}
