import { beforeAll, describe, expect, it } from 'vitest';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { transition } from '../../src/facilitation/machine.js';
import { statementStatus } from '../../src/facilitation/statements.js';
import type { Campaign, CampaignEvent, Effect } from '../../src/facilitation/types.js';
import { composeActionConsent, composeConsent } from '../../src/render/compose-consent.js';
import { exportJson } from '../../src/render/export-json.js';
import { exportMarkdown } from '../../src/render/export-markdown.js';
import { createRenderer, type Renderer } from '../../src/render/renderer.js';
import { renderCanvasPage } from '../../src/web/canvas-page.js';
import { governanceSample, SAMPLE_NOW, sampleContext } from '../fixtures/sample-campaign.js';

/**
 * `/canevas forget-me`, one campaign at a time: the member's answers go with their history, their
 * name goes from everything else, the posts that quoted them are erased, and a count is what is left.
 */
const CHLOE = 'U0CHLOE';
const BEN = 'U0BEN';
const ADA = 'U0ADA';

let template: CanvasTemplate;
let renderer: Renderer;

beforeAll(async () => {
  template = await loadDefaultTemplate();
  renderer = createRenderer();
});

function forget(campaign: Campaign, personId: string): { campaign: Campaign; effects: Effect[] } {
  const result = transition(campaign, { type: 'forget-member', personId }, SAMPLE_NOW);
  if (!result.ok) throw new Error(result.error);
  return result;
}

const apply = (campaign: Campaign, event: CampaignEvent) => {
  const result = transition(campaign, event, SAMPLE_NOW);
  if (!result.ok) throw new Error(result.error);
  return result.campaign;
};

/** Chloé's message `id` in the open question's thread, delivered (again) to the campaign. */
const chloeAnswers = (id: string, text: string): CampaignEvent => ({
  type: 'answer-added',
  answer: { id, blockId: 'def.community', author: { id: CHLOE, name: 'Chloé' }, text, source: 'thread' },
});

describe('forgetting a member who answered and took stances', () => {
  const sample = () => governanceSample('en');

  it('deletes their answers, history included, and counts them by block', () => {
    const { campaign } = forget(sample(), CHLOE);
    expect(Object.values(campaign.answers).map((a) => a.author.id)).not.toContain(CHLOE);
    expect(campaign.answers.m3).toBeUndefined();
    expect(campaign.answers.m7).toBeUndefined();
    expect(campaign.forgotten?.answers).toEqual({ 'def.purpose': 1, 'def.community': 1 });
    expect(campaign.forgotten?.members).toBe(1);
    // Nothing stored says whose or what: neither the name, nor the text, nor the message ids.
    const stored = JSON.stringify(campaign);
    expect(stored).not.toContain(CHLOE);
    expect(stored).not.toContain('Chloé');
    expect(stored).not.toContain('far from home');
    expect(campaign.forgotten?.refs).toHaveLength(2);
    expect(campaign.forgotten?.refs).not.toContain('m3');
  });

  it('takes their support, ratings and reminder sign-up away; keeps their stances counted, nameless', () => {
    const { campaign } = forget(sample(), CHLOE);
    expect(campaign.answers.m1?.reactions).toEqual({ '👍': [BEN], '👎': [ADA] });
    expect(campaign.answers.m6?.reactions).toBeUndefined();
    expect(Object.keys(campaign.ostrom ?? {})).toEqual([ADA, BEN]);
    expect(campaign.remindMe?.map((p) => p.id)).toEqual([BEN]);
    const values = campaign.statements?.['def.values'];
    expect(values?.versions[0]?.stances[0]).toEqual({
      author: { id: 'forgotten-1', name: '' },
      stance: 'consent',
      at: '2026-12-10T11:00:00.000Z',
    });
    // Her objection to the first wording stays an objection, without her reason.
    const resource = campaign.statements?.['def.resource'];
    expect(resource?.versions[0]?.stances[0]).toMatchObject({ stance: 'objection' });
    expect(resource?.versions[0]?.stances[0]?.reason).toBeUndefined();
    // The tallies, and so the decisions others relied on, are unchanged.
    for (const blockId of ['def.resource', 'def.values', 'def.purpose'])
      expect(statementStatus(campaign, campaign.statements?.[blockId], SAMPLE_NOW)).toBe(
        statementStatus(sample(), sample().statements?.[blockId], SAMPLE_NOW),
      );
  });

  it('erases the posts that quoted her (her form answer, her reasons) and updates the progress', () => {
    const { effects } = forget(sample(), CHLOE);
    expect(effects).toEqual([
      { type: 'erase-post', post: { kind: 'echo', answerId: 'm3', blockId: 'def.purpose' } },
      { type: 'erase-post', post: { kind: 'stance', blockId: 'def.resource', version: 1, index: 0 } },
      { type: 'erase-post', post: { kind: 'stance', blockId: 'def.resource', version: 2, index: 1 } },
      { type: 'update-progress' },
      { type: 'reply', key: 'reply-forgotten', vars: { answers: 2, changed: 1 } },
    ]);
  });

  it('shows a count in the canvas page, the document and the JSON, and neither her name nor her words', () => {
    const { campaign } = forget(sample(), CHLOE);
    const canvas = compileCanvas(campaign, template, SAMPLE_NOW);
    const page = renderCanvasPage(canvas);
    const md = exportMarkdown(canvas, 'en').data;
    const json = exportJson(canvas).data;
    for (const text of [page, md, json]) {
      expect(text).not.toContain('Chloé');
      expect(text).not.toContain('far from home');
      expect(text).not.toContain('Say who holds the domain name too.');
    }
    expect(page).toContain('1 answer removed at a member’s request');
    expect(md).toContain('2 answers removed at members’ request');
    expect(JSON.parse(json)).toMatchObject({ forgottenAnswers: 2, contributorCount: 2 });
    // The block whose only answer was hers is a gap again, never filled in.
    expect(canvas.fiches[0]?.blocks.find((b) => b.id === 'def.community')).toMatchObject({
      gap: true,
      forgotten: 1,
    });
  });

  it('does not take her answer back when its message is delivered again, edited or deleted', () => {
    const { campaign } = forget(sample(), CHLOE);
    const again = apply(campaign, chloeAnswers('m7', 'x'));
    expect(again.answers.m7).toBeUndefined();
    const edited = apply(campaign, {
      type: 'answer-edited',
      answerId: 'm7',
      text: 'y',
      author: { id: CHLOE, name: 'Chloé' },
    });
    expect(edited.held).toBeUndefined();
    expect(apply(campaign, { type: 'answer-removed', answerId: 'm7' }).held).toBeUndefined();
    // A new answer of hers, given after she asked, is taken as any answer.
    const fresh = apply(campaign, chloeAnswers('m9', 'New'));
    expect(fresh.answers.m9?.text).toBe('New');
  });

  it('changes nothing, and counts nothing, for a member with nothing here', () => {
    const campaign = sample();
    const result = forget(campaign, 'U0NOBODY');
    expect(result.campaign).toBe(campaign);
    expect(result.effects).toEqual([
      { type: 'reply', key: 'reply-forgotten', vars: { answers: 0, changed: 0 } },
    ]);
  });

  it('is allowed once the campaign has ended: what members gave is theirs', () => {
    const ended = { ...sample(), status: 'completed' as const, endedAt: '2026-12-13T00:00:00.000Z' };
    expect(forget(ended, CHLOE).campaign.answers.m3).toBeUndefined();
  });
});

describe('forgetting the author of an action, and an admin who wrote shared versions', () => {
  it("takes the action and its consent away and erases the action's consent post", () => {
    const c = { ...governanceSample('en'), actionPostRefs: { m8: 'post-8' } };
    const { campaign, effects } = forget(c, BEN);
    expect(campaign.answers.m8).toBeUndefined();
    expect(campaign.actionConsents).toBeUndefined();
    expect(campaign.actionPostRefs).toBeUndefined();
    expect(effects).toContainEqual({
      type: 'erase-post',
      post: { kind: 'action', answerId: 'm8', blockId: 'prj.act_gov', ref: 'post-8' },
    });
    // His objection's reason was posted in the consent post's thread: erased too.
    expect(effects).toContainEqual({
      type: 'erase-post',
      post: { kind: 'stance', blockId: 'def.values', version: 1, index: 1 },
    });
    expect(compileCanvas(campaign, template, SAMPLE_NOW).actions).toEqual([]);
  });

  it('keeps the shared versions she wrote, without her name, and edits their consent posts', () => {
    const c = governanceSample('en');
    const { campaign, effects } = forget(c, ADA);
    expect(campaign.statements?.['def.values']?.versions[0]?.by).toEqual({ id: '', name: '' });
    expect(campaign.statements?.['def.values']?.versions[0]?.text).toBe(
      c.statements?.['def.values']?.versions[0]?.text,
    );
    expect(campaign.createdBy).toEqual({ id: '', name: '' });
    expect(
      effects.filter((e) => e.type === 'update-consent').map((e) => e.type === 'update-consent' && e.roundId),
    ).toEqual(['def.resource', 'def.values', 'def.purpose']);
    const ctx = sampleContext('en', template, renderer, campaign);
    expect(composeConsent(ctx, 'def.values').text).toContain('proposed by a member');
    expect(composeActionConsent(ctx, 'm8').text).not.toContain('Ada');
    // Her consent on the action stays counted: it is still agreed.
    expect(compileCanvas(campaign, template, SAMPLE_NOW).actions[0]?.status).toBe('agreed');
  });

  it('counts each request apart, so two forgotten members are two voices in a tally', () => {
    const once = forget(governanceSample('en'), CHLOE).campaign;
    const twice = forget(once, BEN).campaign;
    const stances = twice.statements?.['def.resource']?.versions[1]?.stances.map((s) => s.author.id);
    expect(stances).toEqual(['forgotten-2', 'forgotten-1']);
    expect(twice.forgotten?.members).toBe(2);
  });
});
