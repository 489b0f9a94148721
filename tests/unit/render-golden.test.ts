import { beforeAll, describe, it } from 'vitest';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { LANGS } from '../../src/facilitation/types.js';
import {
  composeDigest,
  composeIntro,
  composeNudge,
  composeProgress,
  composeQuestion,
  composeStatus,
  composeSummary,
} from '../../src/render/compose.js';
import { createRenderer, type Renderer } from '../../src/render/renderer.js';
import { SAMPLE_NEXT_RUN, SAMPLE_SINCE, sampleContext } from '../fixtures/sample-campaign.js';
import { expectGolden } from './golden/expect-golden.js';

let template: CanvasTemplate;
let renderer: Renderer;

beforeAll(async () => {
  template = await loadDefaultTemplate();
  renderer = createRenderer();
});

describe('rendered posts match their golden files', () => {
  for (const lang of LANGS) {
    it(`in ${lang}`, () => {
      const ctx = sampleContext(lang, template, renderer);
      expectGolden(`intro-${lang}.md`, `${composeIntro(ctx).text}\n`);
      expectGolden(`question-${lang}.md`, `${composeQuestion(ctx, 'def.values').text}\n`);
      expectGolden(`reminder-${lang}.md`, `${composeNudge(ctx, 'def.community').text}\n`);
      expectGolden(`progress-${lang}.md`, `${composeProgress(ctx).text}\n`);
      expectGolden(`summary-${lang}.md`, `${composeSummary(ctx, false).text}\n`);
      expectGolden(`digest-${lang}.md`, `${composeDigest(ctx, SAMPLE_SINCE, SAMPLE_NEXT_RUN).text}\n`);
      expectGolden(`status-${lang}.md`, `${composeStatus(ctx, SAMPLE_NEXT_RUN)}\n`);
    });
  }
});
