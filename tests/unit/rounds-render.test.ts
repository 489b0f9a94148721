import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate, roundsOf } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { createCampaign, transition } from '../../src/facilitation/machine.js';
import { projectPlan } from '../../src/facilitation/plan.js';
import type { Campaign, Lang } from '../../src/facilitation/types.js';
import {
  composeIntro,
  composeProgress,
  composeQuestion,
  composeRound,
  composeStatus,
} from '../../src/render/compose.js';
import { createRenderer } from '../../src/render/renderer.js';
import { formatDeadline } from '../../src/render/view-helpers.js';
import { ada, campaignInit, startedWorkshop, T0 } from '../fixtures/campaigns.js';
import { sampleContext } from '../fixtures/sample-campaign.js';

let template: CanvasTemplate;
const renderer = createRenderer();
beforeAll(async () => {
  template = await loadDefaultTemplate();
});

const workshop = (lang: Lang) => startedWorkshop(template, lang);

const ctx = (campaign: Campaign) => ({
  ...sampleContext(campaign.lang, template, renderer, campaign),
  now: T0,
});

describe('formatDeadline', () => {
  it('reads as a French or English deadline in the campaign’s zone', () => {
    const thursday = new Date('2026-12-10T09:00:00Z');
    expect(formatDeadline(thursday, 'fr', 'Europe/Paris')).toBe('jeudi 10 décembre, 10\u00a0h');
    expect(formatDeadline(thursday, 'en', 'Europe/Paris')).toBe('Thursday 10 December, 10:00');
    expect(formatDeadline('2026-12-10T09:30:00Z', 'fr', 'Europe/Paris')).toBe(
      'jeudi 10 décembre, 10\u00a0h\u00a030',
    );
    expect(formatDeadline(thursday, 'en', 'America/Montreal')).toBe('Thursday 10 December, 04:00');
  });
});

describe('the round post', () => {
  it('names the fiche, the round, its questions and the deadline, with the fiche intro on its first round', () => {
    const c = workshop('fr');
    const first = composeRound(ctx(c), 'share');
    expect(first.kind).toBe('round');
    expect(first.text).toContain('Fiche 1 · Définition');
    expect(first.text).toContain('Ce que nous partageons, et pourquoi');
    expect(first.text).toContain('1. La ressource partagée');
    expect(first.text).toContain('3. Valeurs');
    expect(first.text).toContain('jusqu’au **jeudi 3 décembre, 10\u00a0h**');
    expect(first.text).toContain('«\u00a0Répondre\u00a0»');
    expect(first.text).toContain('Nous allons décrire la ressource');
    const second = composeRound(ctx(c), 'who_we_are');
    expect(second.text).not.toContain('Nous allons décrire la ressource');
    expect(composeRound(ctx(c), 'contributing').text).toContain('Nous allons regarder nos cercles');
  });

  it('opens the campaign with the introduction in the first round post, and only there', () => {
    const c = workshop('en');
    const first = composeRound(ctx(c), 'share').text;
    expect(first.startsWith(composeIntro(ctx(c)).text)).toBe(true);
    expect(first).toContain('What we share, and why');
    expect(composeRound(ctx(c), 'who_we_are').text).not.toContain('Hello! I’m Canevas');
  });

  it('speaks English in an English campaign', () => {
    const text = composeRound(ctx(workshop('en')), 'share').text;
    expect(text).toContain('Sheet 1 · Definition');
    expect(text).toContain('until **Thursday 3 December, 10:00**');
    expect(text).toContain('“Answer” button');
  });

  it('gives each question post its deadline, in its text and its parts', () => {
    const post = composeQuestion(ctx(workshop('en')), 'def.values');
    expect(post.question?.deadline).toBe('Thursday 3 December, 10:00');
    expect(post.text).toContain('until **Thursday 3 December, 10:00**');
  });
});

describe('the recap of a fiche', () => {
  it('comes in the round post that opens the next fiche: answered, and what is still to complete', () => {
    let c = workshop('en');
    const first = composeRound(ctx(c), 'share').text;
    expect(first).not.toContain('is done');
    const answered = transition(
      c,
      {
        type: 'answer-added',
        answer: { id: 'm1', blockId: 'def.resource', author: ada, text: 'Our map.', source: 'thread' },
      },
      T0,
    );
    if (!answered.ok) throw new Error(answered.error);
    c = answered.campaign;
    for (let i = 0; i < 3; i++) {
      const next = transition(c, { type: 'next', actor: ada }, T0);
      if (!next.ok) throw new Error(next.error);
      c = next.campaign;
    }
    const opening = composeRound(ctx(c), 'contributing').text;
    expect(opening).toContain('Sheet 1 · Definition is done');
    expect(opening).toContain('1 of 9 questions answered');
    expect(opening).toMatch(/Still to complete: Purpose, .*and Identity in one sentence\./);
    expect(opening.indexOf('is done')).toBeLessThan(opening.indexOf('Sheet 2'));
    const fr = composeRound(ctx({ ...c, lang: 'fr' }), 'contributing').text;
    expect(fr).toContain('Fiche 1 · Définition terminée');
    expect(fr).toContain('1 sur 9 questions ont une réponse');
  });
});

describe('the intro', () => {
  it('says how the workshop runs, in both languages; a drip campaign still says one question at a time', () => {
    const en = composeIntro(ctx(workshop('en'))).text;
    expect(en).toContain('a few related questions at a time');
    expect(en).toContain('until when answers are expected');
    expect(en).not.toContain('one question at a time');
    const fr = composeIntro(ctx(workshop('fr'))).text;
    expect(fr).toContain('quelques questions liées à la fois');
    const drip = composeIntro(ctx({ ...workshop('en'), format: 'drip' })).text;
    expect(drip).toContain('one question at a time');
  });
});

describe('the plan', () => {
  it('chains the default template’s 9 rounds on the cadence: the canvas is done in 5 weeks', () => {
    const plan = projectPlan(workshop('en'), template, T0);
    expect(plan.rounds.map((r) => r.status)).toEqual(['open', ...Array(8).fill('pending')]);
    expect(plan.rounds.flatMap((r) => r.blockIds)).toHaveLength(29);
    plan.rounds.slice(1).forEach((r, i) => {
      expect(r.opensAt).toBe(plan.rounds[i]?.closesAt);
    });
    // Tuesday 1 December: Thursday 3, Tuesday 8 … Thursday 31 December, 10:00 in Paris.
    expect(plan.rounds[0]?.closesAt).toBe('2026-12-03T09:00:00.000Z');
    expect(plan.endsAt).toBe('2026-12-31T09:00:00.000Z');
    expect(new Date(plan.endsAt ?? '').getTime() - T0.getTime()).toBeLessThanOrEqual(35 * 86_400_000);
  });

  it('projects a campaign not started yet from now, and leaves an ended one’s unasked rounds undated', () => {
    const created = { ...workshop('en'), status: 'scheduled' as const };
    const scheduled = projectPlan(
      { ...created, rounds: created.rounds?.map((r) => ({ ...r, status: 'pending' as const })) },
      template,
      T0,
    );
    expect(scheduled.rounds[0]?.opensAt).toBe(T0.toISOString());
    const stopped = transition(workshop('en'), { type: 'stop', actor: ada }, T0);
    if (!stopped.ok) throw new Error(stopped.error);
    const plan = projectPlan(stopped.campaign, template, T0);
    expect(plan.endsAt).toBe(T0.toISOString());
    expect(plan.rounds[1]).toEqual(expect.not.objectContaining({ opensAt: expect.anything() }));
  });

  it('shows in status, with the end date', () => {
    const text = composeStatus(ctx(workshop('fr')));
    expect(text).toContain(
      '1. Ce que nous partageons, et pourquoi\u00a0: mardi 1 décembre, 10\u00a0h → jeudi 3 décembre, 10\u00a0h (en cours)',
    );
    expect(text).toContain(
      '9. Suivre nos progrès et faire le premier pas\u00a0: mardi 29 décembre, 10\u00a0h → jeudi 31 décembre, 10\u00a0h (à venir)',
    );
    expect(text).toContain('Fin prévue de la campagne\u00a0: **jeudi 31 décembre, 10\u00a0h**');
  });
});

describe('quiet days and holidays in the plan', () => {
  /** A workshop started Tuesday 1 December 2026 with these days off. */
  function withCalendar(quietDays: number[], holidays: { from: string; to: string }[]): Campaign {
    const created = createCampaign(
      campaignInit({
        id: 'q',
        lang: 'en',
        templateId: 'default',
        blockIds: roundsOf(template).flatMap((r) => r.blocks),
        format: 'workshop',
        rounds: roundsOf(template).map((r) => ({ id: r.id, blockIds: r.blocks })),
        quietDays,
        holidays,
      }),
    );
    const started = transition(created, { type: 'start', actor: ada }, T0);
    if (!started.ok) throw new Error(started.error);
    return started.campaign;
  }

  it('moves every deadline over the holidays to the next allowed run, and the plan shows it', () => {
    const holidays = [{ from: '2026-12-24', to: '2027-01-02' }];
    const plan = projectPlan(withCalendar([], holidays), template, T0);
    const dates = plan.rounds.flatMap((r) => [r.opensAt, r.closesAt]);
    // No round opens or closes from Thursday 24 December to Saturday 2 January, in Paris.
    for (const at of dates) expect(at && at >= '2026-12-24' && at < '2027-01-03', at).toBe(false);
    // Round 7 opens Tuesday 22 December and, over the holidays, closes on Tuesday 5 January.
    expect(plan.rounds[6]).toMatchObject({
      opensAt: '2026-12-22T09:00:00.000Z',
      closesAt: '2027-01-05T09:00:00.000Z',
    });
    expect(plan.endsAt).toBe('2027-01-12T09:00:00.000Z');
    const status = composeStatus(ctx(withCalendar([], holidays)));
    expect(status).toContain('Holidays: 24 December 2026 – 2 January 2027.');
  });

  it('skips quiet weekdays: with Thursdays quiet, rounds run Tuesday to Tuesday', () => {
    const plan = projectPlan(withCalendar([4], []), template, T0);
    expect(plan.rounds[0]?.closesAt).toBe('2026-12-08T09:00:00.000Z');
    expect(plan.rounds[1]?.closesAt).toBe('2026-12-15T09:00:00.000Z');
    expect(composeStatus(ctx(withCalendar([4], [])))).toContain(
      'Quiet days (no round opens or closes): Thursday.',
    );
  });
});

describe('the progress post in a workshop', () => {
  it('names the open round and the positions of its questions', () => {
    const text = composeProgress(ctx(workshop('en'))).text;
    expect(text).toContain('**What we share, and why** (1–3/29)');
  });
});

describe('the round post hosting the round before’s shared statements', () => {
  it('puts them to consent with their buttons, and keeps a 📝 button only for blocks not written yet', () => {
    let c = workshop('en');
    const next = transition(c, { type: 'next', actor: ada }, T0);
    if (!next.ok) throw new Error(next.error);
    const written = transition(
      next.campaign,
      { type: 'statement', actor: ada, blockId: 'def.resource', text: 'We share the repair map.' },
      T0,
    );
    if (!written.ok) throw new Error(written.error);
    c = written.campaign;
    const post = composeRound(ctx(c), 'who_we_are');
    expect(post.text).toContain('Shared versions · round 1/9');
    expect(post.text).toContain('We share the repair map.');
    const labels = (post.buttons ?? []).map((b) => b.label);
    expect(labels).toContain('✅ Consent · The shared resource');
    expect(labels).toContain('✏️ Revise · The shared resource');
    expect(labels).toContain('📝 Purpose');
    expect(labels).not.toContain('📝 The shared resource');
  });
});
