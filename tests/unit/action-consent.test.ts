import { beforeAll, describe, expect, it } from 'vitest';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { createCampaign, transition } from '../../src/facilitation/machine.js';
import { statementStatus } from '../../src/facilitation/statements.js';
import type { Campaign, CampaignEvent, Stance } from '../../src/facilitation/types.js';
import { appliesAtOnce, buttonId, readButtonId } from '../../src/interactions/button-ids.js';
import { check, press, submit } from '../../src/interactions/interactions.js';
import { exportJson } from '../../src/render/export-json.js';
import { ada, campaignInit, T0 } from '../fixtures/campaigns.js';

const ben = { id: 'ben', name: 'Ben' };
const chloe = { id: 'chloe', name: 'Chloé' };
const ACTIONS = 'prj.act_gov';
const OTHER = 'def.resource';
const ACTION = 'Write the contributor guide — Chloé — 2027-02-01 — the guide is merged';
let template: CanvasTemplate;
beforeAll(async () => {
  template = await loadDefaultTemplate();
});

const hours = (h: number) => new Date(T0.getTime() + h * 3600_000);

function step(c: Campaign, event: CampaignEvent, at = T0): Campaign {
  const result = transition(c, event, at);
  if (!result.ok) throw new Error(result.error);
  return result.campaign;
}

function started(): Campaign {
  const c = createCampaign(campaignInit({ id: 'c1', blockIds: [ACTIONS, OTHER], actionBlockIds: [ACTIONS] }));
  let s = step(c, { type: 'start', actor: ada });
  // A drip asks one question at a time: open both blocks.
  if (s.questions.some((q) => q.status === 'pending')) s = step(s, { type: 'next', actor: ada });
  return s;
}

const answer = (id: string, text: string, blockId = ACTIONS, author = ben): CampaignEvent => ({
  type: 'answer-added',
  answer: { id, blockId, author, text, source: 'thread' },
});
const stance = (
  person: typeof ben,
  s: Stance,
  version = 1,
  reason?: string,
  answerId = 'a1',
): CampaignEvent => ({
  type: 'stance',
  person,
  blockId: ACTIONS,
  answerId,
  version,
  stance: s,
  ...(reason ? { reason } : {}),
});
const statusOf = (c: Campaign, at = T0) => statementStatus(c, c.actionConsents?.a1, at);

describe('an action put to consent', () => {
  it('opens its consent round when proposed, with its own post; a plain answer or another block has none', () => {
    const c = started();
    const proposed = transition(c, answer('a1', ACTION), T0);
    expect(proposed.ok && proposed.effects.map((e) => e.type)).toEqual(['post-action', 'update-progress']);
    if (!proposed.ok) return;
    expect(proposed.campaign.actionConsents?.a1?.versions).toEqual([
      { text: ACTION, by: ben, at: T0.toISOString(), closesAt: hours(72).toISOString(), stances: [] },
    ]);
    const plain = transition(c, answer('a2', 'We should write more docs'), T0);
    expect(plain.ok && plain.effects.map((e) => e.type)).toEqual(['update-progress']);
    const elsewhere = transition(c, answer('a3', ACTION, OTHER), T0);
    expect(elsewhere.ok && elsewhere.campaign.actionConsents).toBeUndefined();
  });

  it('is agreed at the quorum with no objection; an objection stands until withdrawn or reworded', () => {
    let c = step(started(), answer('a1', ACTION));
    c = step(c, stance(ben, 'consent'));
    expect(statusOf(c)).toBe('consent-open');
    expect(transition(c, stance(chloe, 'objection'), T0)).toMatchObject({ error: 'reason-required' });
    const objected = transition(c, stance(chloe, 'objection', 1, 'February is too soon'), T0);
    expect(objected.ok && objected.effects).toEqual([
      { type: 'update-action', answerId: 'a1' },
      { type: 'post-stance', blockId: ACTIONS, version: 1, index: 1, answerId: 'a1' },
      { type: 'reply', key: 'reply-action-stance-objection', vars: { what: 'Write the contributor guide' } },
    ]);
    c = step(c, stance(chloe, 'objection', 1, 'February is too soon'));
    expect(statusOf(c)).toBe('objected');
    // Its author rewords it: a new version, stances to be given again.
    const reworded = ACTION.replace('2027-02-01', '2027-04-01');
    const edited = transition(
      c,
      { type: 'answer-edited', answerId: 'a1', text: reworded, author: ben },
      hours(1),
    );
    expect(edited.ok && edited.effects.map((e) => e.type)).toEqual(['update-action', 'update-progress']);
    if (!edited.ok) return;
    c = edited.campaign;
    expect(c.actionConsents?.a1?.versions.map((v) => [v.text, v.stances.length])).toEqual([
      [ACTION, 2],
      [reworded, 0],
    ]);
    expect(transition(c, stance(chloe, 'consent', 1), hours(1))).toMatchObject({
      error: 'statement-revised',
    });
    c = step(c, stance(chloe, 'consent', 2), hours(1));
    c = step(c, stance(ben, 'consent', 2), hours(1));
    expect(statusOf(c, hours(1))).toBe('agreed');
  });

  it('is withdrawn with its answer: its post is edited, stances refused, history kept', () => {
    let c = step(started(), answer('a1', ACTION));
    c = step(c, stance(ben, 'consent'));
    const removed = transition(c, { type: 'answer-removed', answerId: 'a1' }, T0);
    expect(removed.ok && removed.effects.map((e) => e.type)).toEqual(['update-action', 'update-progress']);
    if (!removed.ok) return;
    expect(transition(removed.campaign, stance(chloe, 'consent'), T0)).toMatchObject({
      error: 'action-withdrawn',
    });
    expect(removed.campaign.actionConsents?.a1?.versions[0]?.stances).toHaveLength(1);
    // Rewritten as a plain answer, it is withdrawn too.
    const plain = step(c, { type: 'answer-edited', answerId: 'a1', text: 'Never mind', author: ben });
    expect(transition(plain, stance(chloe, 'consent'), T0)).toMatchObject({ error: 'action-withdrawn' });
  });

  it('refuses a stance after its round closed, or once the campaign is stopped', () => {
    const c = step(started(), answer('a1', ACTION));
    expect(transition(c, stance(chloe, 'consent'), hours(72))).toMatchObject({ error: 'consent-closed' });
    const stopped = step(c, { type: 'stop', actor: ada });
    expect(transition(stopped, stance(chloe, 'consent'), T0)).toMatchObject({ error: 'campaign-ended' });
  });

  it('an early edit held for its answer still opens one consent round, on the final wording', () => {
    let c = started();
    const reworded = ACTION.replace('Chloé', 'Ben');
    c = step(c, { type: 'answer-edited', answerId: 'a1', text: reworded, author: ben });
    const arrived = transition(c, answer('a1', ACTION), T0);
    expect(arrived.ok && arrived.effects.map((e) => e.type)).toEqual(['post-action', 'update-progress']);
    expect(arrived.ok && arrived.campaign.actionConsents?.a1?.versions.map((v) => v.text)).toEqual([
      reworded,
    ]);
  });
});

describe('the buttons of an action', () => {
  const c = step(started(), answer('a1', ACTION));
  const id = (s: Stance, version = 1) =>
    buttonId({ verb: 'astance', tag: 'c1', answerId: 'a1', version, stance: s });

  it('read back what they name; a consent applies at once, a concern or objection asks why', () => {
    expect(readButtonId(id('objection'))).toEqual({
      verb: 'astance',
      tag: 'c1',
      answerId: 'a1',
      version: 1,
      stance: 'objection',
    });
    expect([appliesAtOnce(id('consent')), appliesAtOnce(id('concern'))]).toEqual([true, false]);
    const member = { ...chloe, isAdmin: false };
    const consent = readButtonId(id('consent'));
    if (!consent) throw new Error('unread');
    expect(press(c, template, consent, member)).toEqual({
      event: {
        type: 'stance',
        person: chloe,
        blockId: ACTIONS,
        answerId: 'a1',
        version: 1,
        stance: 'consent',
      },
    });
    const objection = readButtonId(id('objection'));
    if (!objection) throw new Error('unread');
    const form = press(c, template, objection, member);
    expect('form' in form && form.form.fields.map((f) => [f.id, f.required])).toEqual([['reason', true]]);
    expect(submit(c, template, objection, member, { reason: ' ' })).toHaveProperty('fieldErrors');
    expect(submit(c, template, objection, member, { reason: 'Too soon' })).toMatchObject({
      event: { answerId: 'a1', stance: 'objection', reason: 'Too soon' },
    });
  });

  it('are refused for an answer that was never put to consent', () => {
    const named = (answerId: string) =>
      readButtonId(buttonId({ verb: 'astance', tag: 'c1', answerId, version: 1, stance: 'consent' }));
    const [never, proposed] = [named('zz'), named('a1')];
    if (!never || !proposed) throw new Error('unread');
    expect(check(c, never)).toEqual({ refuse: 'no-statement' });
    expect(check(c, proposed)).toBeUndefined();
  });
});

describe('an action in the canvas and the export', () => {
  it('shows its consent and is agreed or objected by it', () => {
    let c = step(started(), answer('a1', ACTION));
    c = step(c, stance(ben, 'consent'));
    c = step(c, stance(chloe, 'concern', 1, 'Who reviews it?'));
    const agreed = compileCanvas(c, template, T0).actions[0];
    expect(agreed).toMatchObject({ what: 'Write the contributor guide', status: 'agreed' });
    expect(agreed?.consent.stances.map((s) => [s.author.name, s.stance, s.reason])).toEqual([
      ['Ben', 'consent', undefined],
      ['Chloé', 'concern', 'Who reviews it?'],
    ]);
    c = step(c, stance(chloe, 'objection', 1, 'Nobody reviews it'));
    const json = JSON.parse(exportJson(compileCanvas(c, template, T0)).data);
    expect(json.actions[0]).toMatchObject({
      status: 'objected',
      consent: { text: ACTION, status: 'objected', versions: [{ text: ACTION }] },
    });
  });
});
