import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import type { Lang } from '../../src/facilitation/types.js';
import {
  composeDigest,
  composeExportPost,
  composeNotice,
  composeProgress,
  composeStatus,
  composeSummary,
} from '../../src/render/compose.js';
import { createRenderer, type Renderer } from '../../src/render/renderer.js';
import { SHEET_WORDS } from '../../src/render/sheet/sheet-words.js';
import { plural } from '../../src/render/view-helpers.js';
import { SAMPLE_SINCE, sampleCampaign, sampleContext } from '../fixtures/sample-campaign.js';
import { sheetSamples } from '../fixtures/sheet-campaigns.js';

let template: CanvasTemplate;
let renderer: Renderer;

beforeAll(async () => {
  template = await loadDefaultTemplate();
  renderer = createRenderer();
});

/** The sample campaign with one answer left: the one-answer week, the common case in a small community. */
function oneAnswer(lang: Lang) {
  const campaign = sampleCampaign(lang);
  const only = campaign.answers.m7;
  if (!only) throw new Error('the sample lost its answer m7');
  return sampleContext(lang, template, renderer, { ...campaign, answers: { m7: only } });
}

const file = { name: 'GOVERNANCE-CANVAS.md', contentType: 'text/markdown', data: Buffer.alloc(0) };

describe('counts follow each language’s plural rules', () => {
  it('plural() uses Intl.PluralRules: French 0 and 1 are singular, English only 1', () => {
    expect([0, 1, 2].map((n) => plural(n, 'fr', 'réponse', 'réponses'))).toEqual([
      '0 réponse',
      '1 réponse',
      '2 réponses',
    ]);
    expect([0, 1, 2].map((n) => plural(n, 'en', 'answer', 'answers'))).toEqual([
      '0 answers',
      '1 answer',
      '2 answers',
    ]);
  });

  it('one answer by one person, in French', () => {
    const ctx = oneAnswer('fr');
    const digest = composeDigest(ctx, SAMPLE_SINCE).text;
    expect(digest).toContain('**1 nouvelle réponse** depuis le');
    expect(digest).toContain('de 1 personne\u00A0:');
    expect(digest).toContain('En tout, 1 personne a participé (1 réponse).');
    expect(composeSummary(ctx, false).text).toContain(
      '1 question sur 29 a une réponse, 1 réponse de 1 personne.',
    );
    expect(composeProgress(ctx).text).toContain('1 question sur 29 a une réponse');
    expect(composeStatus(ctx)).toContain('1 question sur 29 a une réponse');
    expect(composeExportPost(ctx, file).text).toContain(
      '1 question sur 29 a une réponse, 1 réponse en tout.',
    );
  });

  it('one answer by one person, in English', () => {
    const ctx = oneAnswer('en');
    const digest = composeDigest(ctx, SAMPLE_SINCE).text;
    expect(digest).toContain('**1 new answer** since');
    expect(digest).toContain('from 1 person:');
    expect(digest).toContain('In all, 1 person has taken part (1 answer).');
    expect(composeSummary(ctx, false).text).toContain('1 of 29 questions answered, 1 answer from 1 person.');
    expect(composeExportPost(ctx, file).text).toContain('1 of 29 questions answered, 1 answer in all.');
  });

  it('several answers and people, in both languages', () => {
    const fr = composeDigest(sampleContext('fr', template, renderer), SAMPLE_SINCE).text;
    expect(fr).toContain('**3 nouvelles réponses** depuis le');
    expect(fr).toContain('de 3 personnes\u00A0:');
    const en = composeDigest(sampleContext('en', template, renderer), SAMPLE_SINCE).text;
    expect(en).toContain('**3 new answers** since');
    expect(en).toContain('In all, 3 people have taken part (6 answers).');
  });

  it('the sheet counts with the same rules', () => {
    expect(SHEET_WORDS.fr.answers(1)).toBe('1 réponse');
    expect(SHEET_WORDS.fr.more(2)).toBe('+ 2 autres réponses');
    expect(SHEET_WORDS.en.morePeople(1)).toBe('+ 1 more person');
    expect(SHEET_WORDS.en.answers(0)).toBe('0 answers');
  });
});

describe('an early stop says the canvas is incomplete, with its figures', () => {
  it('in the stop notice and the final summary, in French', () => {
    const ctx = sampleContext('fr', template, renderer);
    const notice = composeNotice(ctx, 'notice-stopped', {}).text;
    expect(notice).toContain(
      'Le canevas reste incomplet\u00A0: 4 questions sur 29 ont une réponse, de 3 personnes.',
    );
    const summary = composeSummary(ctx, true).text;
    expect(summary).toContain('Voici le canevas final, encore incomplet');
    expect(summary).not.toContain('est complet');
  });

  it('in the stop notice and the final summary, in English', () => {
    const ctx = sampleContext('en', template, renderer);
    const notice = composeNotice(ctx, 'notice-stopped', {}).text;
    expect(notice).toContain('The canvas is incomplete: 4 of 29 questions answered, by 3 people.');
    const summary = composeSummary(ctx, true).text;
    expect(summary).toContain('Here is the final canvas, still incomplete');
    expect(summary).not.toContain('is complete');
  });

  it('and says nothing of the kind when every question has an answer', () => {
    const full = sheetSamples().find((s) => s.name === 'full')?.campaign;
    if (!full) throw new Error('no full sample');
    const ctx = sampleContext('en', template, renderer, full);
    expect(composeNotice(ctx, 'notice-stopped', {}).text).not.toContain('incomplete');
    expect(composeSummary(ctx, true).text).toContain('The canvas is complete: here is the final synthesis');
  });
});
