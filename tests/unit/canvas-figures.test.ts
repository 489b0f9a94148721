import { beforeAll, describe, expect, it } from 'vitest';
import { countAnswers, figuresOfCanvas, figuresOfCounts } from '../../src/canvas/canvas-figures.js';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { composeStatus } from '../../src/render/compose.js';
import { createRenderer, type Renderer } from '../../src/render/renderer.js';
import { SAMPLE_NEXT_RUN, SAMPLE_NOW, sampleContext } from '../fixtures/sample-campaign.js';
import { sheetSamples } from '../fixtures/sheet-campaigns.js';

let template: CanvasTemplate;
let renderer: Renderer;

beforeAll(async () => {
  template = await loadDefaultTemplate();
  renderer = createRenderer();
});

describe('the figures status shows, from the stored counts', () => {
  it('are those of the compiled canvas, for every sample (removed answers, gaps, crowds)', () => {
    for (const { name, campaign } of sheetSamples()) {
      const canvas = compileCanvas(campaign, template, SAMPLE_NOW);
      const counts = countAnswers(Object.values(campaign.answers));
      expect(figuresOfCounts(campaign, template, counts), name).toEqual(figuresOfCanvas(canvas));
    }
  });

  it('give the same status text as compiling every answer, in both languages', () => {
    for (const lang of ['fr', 'en'] as const) {
      const compiled = sampleContext(lang, template, renderer);
      const counts = countAnswers(Object.values(compiled.campaign.answers));
      const figures = figuresOfCounts(compiled.campaign, template, counts);
      expect(figures).toBeDefined();
      // No canvas and no answer: only the counts.
      const fromCounts = {
        ...compiled,
        canvas: undefined,
        figures,
        campaign: { ...compiled.campaign, answers: {} },
      };
      const failures = { count: 1, lastError: 'timeout' };
      expect(composeStatus(fromCounts, SAMPLE_NEXT_RUN, failures)).toBe(
        composeStatus(compiled, SAMPLE_NEXT_RUN, failures),
      );
    }
  });

  it('are refused when the counts name a block the template lacks, so the caller compiles instead', () => {
    const { campaign } = sheetSamples()[1] ?? { campaign: undefined };
    if (!campaign) throw new Error('no sample');
    const counts = countAnswers(Object.values(campaign.answers));
    expect(
      figuresOfCounts(campaign, template, { ...counts, blocks: { ...counts.blocks, 'old.block': 2 } }),
    ).toBe(undefined);
    // A block whose answers were all removed is no reason to compile.
    expect(
      figuresOfCounts(campaign, template, { ...counts, blocks: { ...counts.blocks, 'old.block': 0 } }),
    ).toEqual(figuresOfCanvas(compileCanvas(campaign, template, SAMPLE_NOW)));
  });

  it('leave removed answers and their authors out', () => {
    const { campaign } = sheetSamples()[1] ?? { campaign: undefined };
    if (!campaign) throw new Error('no sample');
    const all = Object.values(campaign.answers);
    const removed = all.filter((a) => a.removedAt);
    expect(removed.length).toBeGreaterThan(0);
    const counts = countAnswers(all);
    const total = Object.values(counts.blocks).reduce((n, c) => n + c, 0);
    expect(total).toBe(all.length - removed.length);
  });
});
