/**
 * The canvas picture posted with a summary or a digest: whatever the outbox worker attaches
 * (`buildCanvasPicture`), timed on canvases never drawn before (each run's answers differ), so a
 * cache of pictures by content can only help where it would in a channel: not at all, the first time.
 */
import type { CompiledCanvas } from '../src/canvas/canvas-types.js';
import { blockOrder } from '../src/canvas/template-loader.js';
import { compileCanvas, loadDefaultTemplate } from '../src/index.js';
import { buildCanvasPicture } from '../src/jobs/build-export.js';
import { type Figure, type FigureContext, type FigureResult, type Row, row } from './figure.js';
import { measure } from './measure.js';
import { sampleCampaign } from './sample-campaign.js';

const GOAL_MS = 300;

export const sheetPng: Figure = {
  name: 'png',
  what: 'the sheet PNG posted with a summary (full canvas, and a large one)',
  run,
};

async function run(ctx: FigureContext): Promise<FigureResult> {
  const template = await loadDefaultTemplate();
  const blocks = blockOrder(template);
  const now = new Date('2026-03-01T09:00:00Z');
  const iterations = ctx.quick ? 1 : 5;
  const sizes = [
    { label: 'full canvas, 87 answers of 400 characters', answers: 87, length: 400 },
    { label: '522 answers of 1,000 characters', answers: 522, length: 1_000 },
  ];
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const size of ctx.quick ? sizes.slice(0, 1) : sizes) {
    ctx.say(`png: ${size.label}…`);
    const canvasOf = (tag: string): CompiledCanvas =>
      compileCanvas(
        sampleCampaign(blocks, { answers: size.answers, length: size.length, tag }),
        template,
        now,
      );
    await buildCanvasPicture(canvasOf('warm-up'), now);
    const canvases = Array.from({ length: iterations }, (_, i) => canvasOf(`run ${i}`));
    const timed = await measure(size.label, iterations, (i) =>
      buildCanvasPicture(canvases[i] as CompiledCanvas, now),
    );
    const bytes = (await buildCanvasPicture(canvasOf('size'), now)).data.length;
    details[size.label] = { ...timed, pngBytes: bytes };
    rows.push(
      row({
        figure: 'png',
        name: `sheet picture posted with a summary, ${size.label} (median)`,
        value: timed.medianMs ?? timed.meanMs,
        unit: 'ms',
        goal: { max: GOAL_MS },
        note: `${iterations} runs, ${Math.round(bytes / 1024)} KB`,
      }),
    );
  }
  return { rows, details };
}
