/**
 * Compiling a 10,000-answer campaign and writing it as Markdown, as `export md` does, against
 * `JSON.stringify` of the same campaign: what serialising the same data costs at the least.
 */
import type { CompiledCanvas } from '../src/canvas/canvas-types.js';
import { blockOrder } from '../src/canvas/template-loader.js';
import { compileCanvas, loadDefaultTemplate } from '../src/index.js';
import { buildExport } from '../src/jobs/build-export.js';
import { type Figure, type FigureContext, type FigureResult, row } from './figure.js';
import { measure } from './measure.js';
import { sampleCampaign } from './sample-campaign.js';

const ANSWERS = 10_000;

export const exportSpeed: Figure = {
  name: 'export',
  what: 'compile + Markdown of 10,000 answers vs JSON.stringify of the same campaign',
  run,
};

async function run(ctx: FigureContext): Promise<FigureResult> {
  const template = await loadDefaultTemplate();
  const answers = ctx.quick ? 500 : ANSWERS;
  const campaign = sampleCampaign(blockOrder(template), { answers, length: 200 });
  const day = Date.parse('2026-03-01T09:00:00Z');
  // A minute later each run: the document differs (its date), so no cache of a previous run can answer.
  const nowOf = (i: number) => new Date(day + i * 60_000);
  const now = nowOf(0);
  const iterations = ctx.quick ? 2 : 10;
  // One untimed round first: JIT, and anything the code caches on its first call.
  await buildExport(compileCanvas(campaign, template, now), 'md');
  JSON.stringify(campaign);
  const whole = await measure('compile + md', iterations, (i) =>
    buildExport(compileCanvas(campaign, template, nowOf(i + 1)), 'md'),
  );
  const compile = await measure('compile', iterations, (i) =>
    compileCanvas(campaign, template, nowOf(i + 1)),
  );
  const canvases = Array.from({ length: iterations }, (_, i) =>
    compileCanvas(campaign, template, nowOf(i + 100)),
  );
  const markdown = await measure('md', iterations, (i) => buildExport(canvases[i] as CompiledCanvas, 'md'));
  const json = await measure('JSON.stringify', iterations, () => JSON.stringify(campaign));
  const count = Object.keys(campaign.answers).length.toLocaleString('en');
  return {
    rows: [
      row({
        figure: 'export',
        name: `compile + Markdown export, ${count} answers (median)`,
        value: whole.medianMs ?? whole.meanMs,
        unit: 'ms',
        anchor: { name: 'JSON.stringify of the same campaign', value: json.medianMs ?? json.meanMs },
        goal: { max: 100 },
        note: `compile ${compile.medianMs} ms, Markdown ${markdown.medianMs} ms, ${iterations} runs`,
      }),
    ],
    details: { whole, compile, markdown, json },
  };
}
