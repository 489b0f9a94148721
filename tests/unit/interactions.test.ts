import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { parseAction } from '../../src/facilitation/actions.js';
import { transition } from '../../src/facilitation/machine.js';
import type { Campaign, OstromRating } from '../../src/facilitation/types.js';
import { buttonId, campaignTag, readButtonId } from '../../src/interactions/button-ids.js';
import { check, ostromParts, press, submit } from '../../src/interactions/interactions.js';
import { ada, newCampaign, T0 } from '../fixtures/campaigns.js';

let template: CanvasTemplate;
beforeAll(async () => {
  template = await loadDefaultTemplate();
});

const ben = { id: 'ben', name: 'Ben', isAdmin: false };
const started = (): Campaign => {
  const r = transition(newCampaign(), { type: 'start', actor: ada }, T0);
  if (!r.ok) throw new Error(r.error);
  return r.campaign;
};

describe('core button ids', () => {
  it('read back what they were made from, and nothing forged', () => {
    const stance = {
      verb: 'stance',
      tag: 'abc',
      blockId: 'def.values',
      version: 2,
      stance: 'objection',
    } as const;
    expect(readButtonId(buttonId(stance))).toEqual(stance);
    expect(readButtonId(buttonId({ verb: 'ostrom', tag: 'abc', part: 2 }))).toEqual({
      verb: 'ostrom',
      tag: 'abc',
      part: 2,
    });
    for (const forged of [
      '',
      'cv|stance|abc|def.values|0|consent',
      'cv|stance|abc|x|1|maybe',
      'xx|write|a|b',
      'cv|write|a|b|c',
    ])
      expect(readButtonId(forged), forged).toBeUndefined();
    expect(buttonId(stance).length).toBeLessThanOrEqual(100);
  });

  it('belong to one campaign: a button of an ended campaign is not taken for the new one', () => {
    const c = started();
    expect(check(c, { verb: 'write', tag: 'someone-else', blockId: 'def.values' })).toEqual({
      refuse: 'campaign-ended',
    });
    expect(check(c, { verb: 'write', tag: campaignTag(c.id), blockId: 'nope' })).toMatchObject({
      refuse: 'unknown-block',
    });
  });
});

describe('the forms behind the buttons', () => {
  it('asks Ostrom’s principles in parts of four selects, and records a member’s ratings', () => {
    const c = started();
    const tag = campaignTag(c.id);
    expect(ostromParts(template)).toBe(2);
    const first = press(c, template, { verb: 'ostrom', tag, part: 1 }, ben);
    if (!('form' in first)) throw new Error('no form');
    expect(first.form.fields.map((f) => [f.id, f.kind])).toEqual([
      ['boundaries', 'select'],
      ['congruence', 'select'],
      ['collective_choice', 'select'],
      ['monitoring', 'select'],
    ]);
    expect(first.form.fields[0]?.options?.map((o) => o.value)).toEqual([
      'in-place',
      'partly',
      'not-yet',
      'unknown',
    ]);
    const rated = submit(c, template, { verb: 'ostrom', tag, part: 1 }, ben, {
      boundaries: 'partly',
      monitoring: '',
    });
    expect(rated).toEqual({
      event: { type: 'ostrom-rating', person: { id: 'ben', name: 'Ben' }, ratings: { boundaries: 'partly' } },
    });
    expect(submit(c, template, { verb: 'ostrom', tag, part: 1 }, ben, { boundaries: 'great' })).toEqual({
      fieldErrors: { boundaries: expect.any(String) },
    });
  });

  it('keeps a member’s earlier ratings when a later part adds more', () => {
    let c = started();
    const parts: Record<string, OstromRating>[] = [
      { boundaries: 'partly' },
      { nested: 'not-yet' },
      { boundaries: 'in-place' },
    ];
    for (const ratings of parts) {
      const r = transition(c, { type: 'ostrom-rating', person: ben, ratings }, T0);
      if (!r.ok) throw new Error(r.error);
      c = r.campaign;
    }
    expect(c.ostrom?.ben?.ratings).toEqual({ boundaries: 'in-place', nested: 'not-yet' });
  });

  it('writes an action in its one shape, and names a missing field or a bad date', () => {
    const c = started();
    const tag = campaignTag(c.id);
    const action = { verb: 'action', tag, blockId: 'prj.act_gov' } as const;
    expect(
      submit(c, template, action, ben, { what: 'A', who: '', due: '2027-02-30', indicator: 'x' }),
    ).toEqual({
      fieldErrors: { who: expect.any(String), due: expect.any(String) },
    });
    const ok = submit(c, template, action, ben, {
      what: 'Publish GOVERNANCE.md',
      who: 'Ben',
      due: '2027-01-31',
      indicator: 'linked from the README',
    });
    if (!('event' in ok) || ok.event.type !== 'answer-added') throw new Error('no answer');
    expect(parseAction(ok.event.answer.text)).toEqual({
      what: 'Publish GOVERNANCE.md',
      who: 'Ben',
      due: '2027-01-31',
      indicator: 'linked from the README',
    });
    expect(press(c, template, { verb: 'action', tag, blockId: 'def.values' }, ben)).toMatchObject({
      refuse: 'unknown-block',
    });
  });

  it('lets only admins open the statement form, pre-filled with the answers most supported first', () => {
    const c = started();
    const tag = campaignTag(c.id);
    expect(press(c, template, { verb: 'write', tag, blockId: 'def.resource' }, ben)).toEqual({
      refuse: 'not-admin',
    });
    const form = press(c, template, { verb: 'write', tag, blockId: 'def.resource' }, ada);
    expect(form).toMatchObject({ form: { fields: [{ id: 'text', kind: 'long-text', required: true }] } });
  });

  it('reads an action written in a thread, and leaves anything else a plain answer', () => {
    expect(parseAction('Second admin everywhere – Sami – 2027-05-15 – two people can publish')).toMatchObject(
      { who: 'Sami' },
    );
    expect(parseAction('Second admin — Sami — soon — two people')).toBeUndefined();
    expect(parseAction('A self-hosted-wiki is fine')).toBeUndefined();
  });
});
