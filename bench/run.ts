/**
 * Benchmarks: the pure transition, compiling a large canvas, drawing the A3 sheet (SVG and PNG),
 * saving a large campaign in Redis, the per-answer cost as a campaign grows, answers/s, and BullMQ's
 * own no-op rate as an anchor.
 * Prints a table and writes bench/results/<date>.json. Starts a throwaway redis-server of its own
 * (redis-server on PATH): REDIS_URL and its data are never touched.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startThrowawayRedis } from '../adapters/redis-launcher.js';
import { compileCanvas } from '../src/canvas/compile.js';
import { blockOrder, loadDefaultTemplate } from '../src/canvas/template-loader.js';
import { createCampaign, transition } from '../src/facilitation/machine.js';
import type { Actor, Campaign } from '../src/facilitation/types.js';
import { exportCsv } from '../src/render/export-csv.js';
import { exportMarkdown } from '../src/render/export-markdown.js';
import { renderCanvasPng, SHEET_PNG_WIDTH } from '../src/render/sheet/canvas-png.js';
import { renderCanvasSvg } from '../src/render/sheet/canvas-svg.js';
import { createRedisStore } from '../src/store/redis-store.js';
import { type AnswerGrowth, benchAnswerGrowth } from './answer-growth.js';
import { benchBullmqNoop } from './bullmq-noop.js';
import { measure, type Result } from './measure.js';

const admin: Actor = { id: 'ada', name: 'Ada', isAdmin: true };

/** A running campaign with every question posted and `perBlock` answers of `length` characters each. */
function bigCampaign(blockIds: string[], perBlock: number, length: number): Campaign {
  const now = new Date('2026-01-06T09:00:00Z');
  let c = createCampaign({
    id: 'bench',
    channel: { platform: 'playground', workspace: 'local', channel: 'bench' },
    lang: 'fr',
    tz: 'Europe/Paris',
    cadence: 'daily',
    digestCron: '0 9 * * 1',
    templateId: 't',
    blockIds,
    createdBy: admin,
    key: 'k',
    now,
  });
  const step = (event: Parameters<typeof transition>[1]) => {
    const r = transition(c, event, now);
    if (r.ok) c = r.campaign;
  };
  step({ type: 'start', actor: admin });
  for (let b = 0; b < blockIds.length; b++) {
    for (let a = 0; a < perBlock; a++) {
      step({
        type: 'answer-added',
        answer: {
          id: `m${b}-${a}`,
          blockId: blockIds[b] as string,
          author: { id: `u${a % 40}`, name: `Person ${a % 40}` },
          text: 'é'.repeat(length),
          source: 'playground',
        },
      });
    }
    if (b < blockIds.length - 1) step({ type: 'next', actor: admin });
  }
  return c;
}

const template = await loadDefaultTemplate();
const ids = blockOrder(template);
const full = bigCampaign(ids, 3, 400);
const huge = bigCampaign(ids, 18, 5000);
const now = new Date();
const results: Result[] = [];
results.push(
  await measure('transition: answer-added (87 answers)', 2000, () =>
    transition(
      full,
      {
        type: 'answer-added',
        answer: {
          id: 'new',
          blockId: ids.at(-1) as string,
          author: admin,
          text: 'hello',
          source: 'playground',
        },
      },
      now,
    ),
  ),
);
results.push(
  await measure('compile: full canvas (87 answers)', 200, () => compileCanvas(full, template, now)),
);
results.push(
  await measure('compile: 522 answers of 5,000 chars', 50, () => compileCanvas(huge, template, now)),
);
const canvas = compileCanvas(huge, template, now);
results.push(await measure('export md: 522 answers', 20, () => exportMarkdown(canvas, 'fr')));
results.push(await measure('export csv: 522 answers', 20, () => exportCsv(canvas)));
const fullCanvas = compileCanvas(full, template, now);
results.push(await measure('sheet svg: full canvas (87 answers)', 20, () => renderCanvasSvg(fullCanvas)));
results.push(await measure('sheet svg: 522 answers of 5,000 chars', 20, () => renderCanvasSvg(canvas)));
results.push(
  await measure(`sheet png ${SHEET_PNG_WIDTH}px: full canvas (87 answers)`, 10, () =>
    renderCanvasPng(fullCanvas),
  ),
);
results.push(
  await measure(`sheet png ${SHEET_PNG_WIDTH}px: 522 answers of 5,000 chars`, 10, () =>
    renderCanvasPng(canvas),
  ),
);

const server = await startThrowawayRedis();
let growth: AnswerGrowth | undefined;
const redis = new Redis(server.url);
try {
  const store = createRedisStore(redis);
  const firstId = Object.keys(huge.answers)[0] ?? '';
  await store.create({ ...huge, id: 'bench-huge' });
  results.push(
    await measure('store: one answer of a 522-answer campaign edited (load + commit)', 30, async () => {
      const loaded = await store.load('bench-huge', [firstId]);
      const answer = loaded?.campaign.answers[firstId];
      if (!loaded || !answer) return;
      const edited = {
        ...answer,
        text: `${answer.text}!`,
        history: [...answer.history, { text: answer.text, at: answer.updatedAt }],
      };
      await store.commit(loaded, { ...loaded.campaign, answers: { [firstId]: edited } }, { posts: [] });
    }),
  );
  results.push(await measure('store: load 522-answer campaign', 30, () => store.get('bench-huge')));
  // Databases of their own, so each starts empty.
  growth = await benchAnswerGrowth(`${server.url}/1`);
  results.push(...growth.results);
  results.push(...(await benchBullmqNoop(`${server.url}/2`)));
} finally {
  redis.disconnect();
  await server.stop();
}

const width = Math.max(...results.map((r) => r.name.length));
for (const r of results) {
  const figures =
    r.perSecond === undefined
      ? `mean ${r.meanMs.toFixed(3)} ms  p95 ${(r.p95Ms ?? r.meanMs).toFixed(3)} ms`
      : `${r.perSecond} /s`;
  process.stdout.write(`${r.name.padEnd(width)}  ${figures}  (n=${r.iterations})\n`);
}
if (growth) {
  for (const w of growth.windows)
    process.stdout.write(
      `answer at ${w.stored.toLocaleString('en')} stored: ${w.meanMs} ms, a new campaign meanwhile ${w.controlMs} ms\n`,
    );
  const [first, last] = [growth.windows[0], growth.windows.at(-1)];
  process.stdout.write(
    `answer cost at ${last?.stored.toLocaleString('en')} stored / at ${first?.stored}: ${growth.ratio}` +
      ` (${growth.ratioToControl} against the new campaigns)\n`,
  );
}
const file = join(import.meta.dirname, 'results', `${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      node: process.version,
      date: new Date().toISOString(),
      results,
      answerCost: growth && {
        windows: growth.windows,
        ratio: growth.ratio,
        ratioToControl: growth.ratioToControl,
      },
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`wrote ${file}\n`);
