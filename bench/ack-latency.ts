/**
 * Slash-command ack latency, open loop: signed `/canevas help` and `/canevas status` (the latter in a
 * channel whose campaign runs and holds answers) sent at a constant rate to `POST /slack/events` of a
 * `canevas serve` process, against a bare Bolt app acking the same command in the same run, the same way.
 */
import { freePort } from '../adapters/redis-launcher.js';
import { type Figure, type FigureContext, type FigureResult, type Row, row } from './figure.js';
import { type OpenLoopResult, openLoop } from './open-loop.js';
import { type Child, quiet, spawnCanevas, spawnScript } from './processes.js';
import {
  ADMIN,
  deliver,
  SIGNING_SECRET,
  type SlackDeployment,
  signedCommand,
  signedThreadReply,
  slackEnv,
  startSlackDeployment,
  TEAM,
} from './slack-bench-setup.js';
import { until } from './until.js';

const STATUS_CHANNEL = 'CSTATUS';
const HELP_CHANNEL = 'CHELP';
/** Answers in the status channel's campaign, so `status` has something to count. */
const ANSWERS = 60;
/** Members sending commands: each is looked up once (users.info), then cached, as in a real workspace. */
const MEMBERS = 40;
const member = (i: number) => `UMEMBER${String(i % MEMBERS).padStart(2, '0')}`;

/** The goals for the p99 at 500 req/s; a lighter load must meet them too. */
const P99_GOALS = {
  help: { max: 25, maxRatio: 1.3 },
  status: { max: 25, maxRatio: 2 },
} as const;

type Command = keyof typeof P99_GOALS;

export const ackLatency: Figure = {
  name: 'ack',
  what: 'slash-command ack p50/p99, open loop, Canevas serve vs a bare Bolt app',
  run,
};

async function run(ctx: FigureContext): Promise<FigureResult> {
  const rates = ctx.quick ? [50] : [100, 500];
  const durationMs = ctx.quick ? 1_000 : 10_000;
  const warmupMs = ctx.quick ? 500 : 2_000;
  const deployment = await startSlackDeployment();
  const boltPort = await freePort();
  const startBolt = async () => {
    const child = spawnScript('bench/bare-bolt.ts', [], {
      PORT: String(boltPort),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${deployment.api.url}api/`,
    });
    await child.message((m) => m.port !== undefined);
    return child;
  };
  let bolt: Child | undefined;
  try {
    bolt = await startBolt();
    await campaignWithAnswers(deployment, ctx);
    const respondUrl = `${deployment.api.url}respond/1`;
    const targets = {
      bolt: {
        url: `http://127.0.0.1:${boltPort}/slack/events`,
        child: () => bolt as Child,
        restart: async () => {
          await bolt?.stop(2_000);
          bolt = await startBolt();
        },
      },
      canevas: {
        url: deployment.eventsUrl,
        child: () => deployment.serve(),
        restart: () => deployment.restartServe(),
      },
    };
    const runs: Record<string, AckRun> = {};
    // Taken in turn at each rate, so a change in the machine's other load touches all three alike.
    for (const rate of rates) {
      for (const [label, target, command] of [
        ['bolt', targets.bolt, 'help'],
        ['help', targets.canevas, 'help'],
        ['status', targets.canevas, 'status'],
      ] as const) {
        ctx.say(`ack: ${label} at ${rate} req/s…`);
        const channel = command === 'status' ? STATUS_CHANNEL : HELP_CHANNEL;
        const cpuBefore = target.child().cpuSeconds();
        const began = Date.now();
        const result = await openLoop({
          url: target.url,
          ratePerSecond: rate,
          durationMs,
          warmupMs,
          make: (i) => signedCommand(channel, member(i), command, respondUrl),
        });
        const cpuAfter = target.child().cpuSeconds();
        const seconds = (Date.now() - began) / 1000;
        runs[`${label}@${rate}`] = {
          ...result,
          ...(cpuBefore !== undefined && cpuAfter !== undefined
            ? { serverCpuPercent: Math.round(((cpuAfter - cpuBefore) / seconds) * 100) }
            : {}),
        };
        // A server that fell behind goes on with its backlog: the next run must not pay for it.
        if (!(await quiet(target.child()))) {
          ctx.say(`ack: ${label} still busy with its backlog; restarted`);
          await target.restart();
        }
      }
    }
    return { rows: rowsOf(runs, rates), details: { durationMs, warmupMs, runs } };
  } finally {
    await bolt?.stop();
    await deployment.stop();
  }
}

type AckRun = OpenLoopResult & { serverCpuPercent?: number };

function rowsOf(
  runs: Record<string, OpenLoopResult & { serverCpuPercent?: number }>,
  rates: number[],
): Row[] {
  const rows: Row[] = [];
  for (const command of ['help', 'status'] as Command[]) {
    for (const rate of rates) {
      const mine = runs[`${command}@${rate}`];
      const anchor = runs[`bolt@${rate}`];
      if (!mine || !anchor) continue;
      for (const q of ['p50', 'p99'] as const) {
        const key = q === 'p50' ? 'p50Ms' : 'p99Ms';
        const r = row({
          figure: 'ack',
          name: `/canevas ${command} ack at ${rate} signed req/s, ${q}`,
          value: mine[key],
          unit: 'ms',
          anchor: { name: `bare Bolt app, ${q}`, value: anchor[key] },
          ...(q === 'p99' ? { goal: P99_GOALS[command], note: noteOf(mine) } : {}),
        });
        // A request refused or dropped fails the row whatever the latency.
        rows.push(mine.errors > 0 || anchor.errors > 0 ? { ...r, pass: false } : r);
      }
    }
  }
  return rows;
}

function noteOf(r: AckRun): string {
  const parts = [`max ${Math.round(r.maxMs)} ms`, `n=${r.count}`];
  if (r.errors > 0) parts.push(`not sustained: ${r.errors} not 2xx in time (${JSON.stringify(r.statuses)})`);
  if (r.serverCpuPercent !== undefined) parts.push(`serve at ${r.serverCpuPercent}% of a core`);
  // The generator's own lateness is in every latency it reports: a busy machine shows here.
  if (r.maxSendLagMs > 5) parts.push(`load generator late by up to ${Math.round(r.maxSendLagMs)} ms`);
  return parts.join(', ');
}

/**
 * A campaign started in the status channel by a signed command, its first questions posted by a
 * `canevas work` process, and answers sent as signed thread replies; the worker is stopped once it is
 * all done, so only the serve process works while the acks are measured.
 */
async function campaignWithAnswers(d: SlackDeployment, ctx: FigureContext): Promise<void> {
  const work = spawnCanevas('work', slackEnv(d.redis.url, d.api));
  try {
    await deliver(
      d.eventsUrl,
      signedCommand(STATUS_CHANNEL, ADMIN, 'start lang:en', `${d.api.url}respond/0`),
    );
    const thread = await until(
      'the first question posted',
      async () => (await d.api.questions(STATUS_CHANNEL))[0],
    );
    const answers = ctx.quick ? 5 : ANSWERS;
    for (let i = 0; i < answers; i++) {
      const ts = `1900000000.${String(i).padStart(6, '0')}`;
      await deliver(
        d.eventsUrl,
        signedThreadReply(STATUS_CHANNEL, thread, member(i), ts, `Answer ${i}: what we share.`),
      );
    }
    const channel = { platform: 'slack' as const, workspace: TEAM, channel: STATUS_CHANNEL };
    const id = (await d.store.activeId(channel)) ?? '';
    await until('the answers stored and their posts made', async () => {
      const stored = Object.keys((await d.store.get(id))?.answers ?? {}).length;
      const busy = (await d.lists.inboxLength(id)) + (await d.lists.postsLength(id));
      return stored === answers && busy === 0 ? true : undefined;
    });
  } finally {
    await work.stop();
  }
}
