import { beforeAll, describe, expect, it } from 'vitest';
import { countAnswers, figuresOfCounts } from '../../src/canvas/canvas-figures.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { roundsOf } from '../../src/facilitation/rounds.js';
import type { Campaign, Lang } from '../../src/facilitation/types.js';
import {
  type ComposeContext,
  composeIntro,
  composeNotice,
  composeProgress,
  composeQuestion,
  composeRound,
} from '../../src/render/compose.js';
import { NOTICE_KEYS } from '../../src/render/message-keys.js';
import { createRenderer } from '../../src/render/renderer.js';
import { listOf } from '../../src/render/view-helpers.js';
import { startedWorkshop } from '../fixtures/campaigns.js';
import { governanceSample, SAMPLE_NOW, sampleCampaign, sampleContext } from '../fixtures/sample-campaign.js';

/**
 * The outbox makes the posts that show only counts (intro, round, question, progress, notice) from the
 * answer counts kept with the campaign, read without its answers: each must read byte for byte as
 * compiling every answer gives.
 */
let template: CanvasTemplate;
const renderer = createRenderer();

beforeAll(async () => {
  template = await loadDefaultTemplate();
});

/** A workshop of the default template's rounds, started, holding the sample's answers (removed ones too). */
function workshop(lang: Lang): Campaign {
  return { ...startedWorkshop(template, lang), answers: sampleCampaign(lang).answers };
}

/** The context the outbox makes from the counts: no answer, and no canvas to fall back on. */
function fromCounts(compiled: ComposeContext): ComposeContext {
  const { campaign } = compiled;
  const figures = figuresOfCounts(campaign, template, countAnswers(Object.values(campaign.answers)));
  if (!figures) throw new Error('the counts name a block the template lacks');
  return {
    ...compiled,
    campaign: { ...campaign, answers: {} },
    figures,
    get canvas(): never {
      throw new Error('compiled from the counts');
    },
  };
}

/** Every count-only post of the campaign, by a name that says which. */
function countOnlyPosts(ctx: ComposeContext): [string, unknown][] {
  const { campaign } = ctx;
  const blockId = campaign.questions[1]?.blockId ?? '';
  const roundId = roundsOf(campaign)[1]?.id ?? '';
  return [
    ['intro', composeIntro(ctx)],
    ['progress', composeProgress(ctx)],
    ...roundsOf(campaign).map((r): [string, unknown] => [`round ${r.id}`, composeRound(ctx, r.id)]),
    ...campaign.questions.map((q): [string, unknown] => [
      `question ${q.blockId}`,
      composeQuestion(ctx, q.blockId),
    ]),
    ...NOTICE_KEYS.map((key): [string, unknown] => [
      key,
      composeNotice(ctx, key, { blockId, roundId, cadence: 'weekly', count: 2 }),
    ]),
  ];
}

describe('posts composed from the stored counts', () => {
  const samples = (lang: Lang) => [
    { name: 'drip', campaign: sampleCampaign(lang) },
    { name: 'drip with shared statements', campaign: governanceSample(lang) },
    { name: 'workshop', campaign: workshop(lang) },
  ];

  it('read as compiling every answer gives, in both languages', () => {
    for (const lang of ['fr', 'en'] as const)
      for (const { name, campaign } of samples(lang)) {
        const compiled = { ...sampleContext(lang, template, renderer, campaign), now: SAMPLE_NOW };
        const expected = countOnlyPosts(compiled);
        const actual = countOnlyPosts(fromCounts(compiled));
        expect(actual.length).toBeGreaterThan(20);
        for (const [i, [what, post]] of actual.entries())
          expect(post, `${name} ${lang}: ${what}`).toEqual(expected[i]?.[1]);
      }
  });

  it('name in a fiche’s recap the blocks the compiled canvas shows as gaps', () => {
    const compiled = sampleContext('en', template, renderer, workshop('en'));
    const canvas = compiled.canvas;
    const [first, second] = canvas?.fiches ?? [];
    const gaps = first?.blocks.filter((b) => b.gap).map((b) => b.title) ?? [];
    expect(gaps.length).toBeGreaterThan(1);
    expect(gaps.length).toBeLessThan(first?.blocks.length ?? 0);
    const opening = roundsOf(compiled.campaign).find((r) => r.blockIds[0] === second?.blocks[0]?.id);
    const { text } = composeRound(fromCounts(compiled), opening?.id ?? '');
    expect(text).toContain(`Still to complete: ${listOf(gaps, 'en')}.`);
  });

  it('show the answers the counts hold (a campaign without answers would read otherwise)', () => {
    const compiled = sampleContext('en', template, renderer, workshop('en'));
    const empty = { ...compiled, campaign: { ...compiled.campaign, answers: {} }, canvas: undefined };
    expect(composeProgress(fromCounts(compiled)).text).not.toBe(composeProgress(empty).text);
  });
});
