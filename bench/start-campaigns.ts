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
      const channel = channelOf(batch, next++);
      const reply = await runtime.engine.command({ channel, actor: admin, text: 'start lang:en' });
      if (!reply.ok) throw new Error(`bench: start in ${channel.channel} refused: ${reply.text}`);
      if (++started % 1_000 === 0) progress(started);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
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
