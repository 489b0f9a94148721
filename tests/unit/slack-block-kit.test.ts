import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BLOCK_LIMIT, CHARS_PER_MESSAGE, coreButtonBlocks, layoutPost } from '../../adapters/slack/blocks.js';
import { formValues, formView, messageView } from '../../adapters/slack/forms.js';
import { BOT_SCOPES } from '../../adapters/slack/oauth.js';
import { permalink } from '../../adapters/slack/outbound.js';
import type { ActionButton, FormSpec, OutboundPost } from '../../src/index.js';
import { messageBlockProblems, viewProblems } from '../fakes/slack-block-kit.js';

/** The core's buttons and forms as Slack Block Kit, checked against Slack's limits (as the fake checks them). */

const button = (i: number, group?: string, label = `Button ${i}`): ActionButton => ({
  id: `cv|stance|tag|def.b${i}|1|consent`,
  label,
  ...(group ? { group } : {}),
});
type Element = { action_id: string; text: { text: string }; style?: string };
type Actions = { type: string; block_id?: string; elements?: Element[] };

const roundPost = (text: string, buttons: ActionButton[]): OutboundPost => ({
  kind: 'round',
  text,
  round: { roundId: 'r2', lang: 'en' },
  buttons,
  dedupeKey: 'k',
});

describe('core buttons in a Slack message', () => {
  it('draws one actions block per group, in order, after Remind me, with the core id as action id', () => {
    const buttons = [
      { id: 'cv|write|tag|def.resource', label: '📝 The shared resource', group: 'write' },
      {
        id: 'cv|stance|tag|def.values|1|consent',
        label: '✅ Consent · Values',
        style: 'primary',
        group: 'def.values',
      },
      { id: 'cv|write|tag|def.purpose', label: '📝 Purpose', group: 'write' },
      { id: 'cv|stance|tag|def.values|1|objection', label: '🛑 Objection · Values', group: 'def.values' },
      { id: 'cv|ostrom|tag|1', label: '📊 Ostrom’s principles', group: 'ostrom' },
    ] satisfies ActionButton[];
    const [first, ...rest] = layoutPost(roundPost('Round 2', buttons));
    expect(rest).toEqual([]);
    const actions = (first?.blocks ?? []).filter((b) => b.type === 'actions') as Actions[];
    expect(actions.map((b) => b.elements?.map((e) => e.action_id))).toEqual([
      ['canevas_remind'],
      ['cv|write|tag|def.resource', 'cv|write|tag|def.purpose'],
      ['cv|stance|tag|def.values|1|consent', 'cv|stance|tag|def.values|1|objection'],
      ['cv|ostrom|tag|1'],
    ]);
    expect(actions[2]?.elements?.[0]).toEqual({
      type: 'button',
      action_id: 'cv|stance|tag|def.values|1|consent',
      text: { type: 'plain_text', text: '✅ Consent · Values', emoji: true },
      style: 'primary',
    });
    expect(messageBlockProblems(first?.blocks)).toEqual([]);
  });

  it('splits a group past 25 buttons, draws a repeated id once, skips ids that are not the core’s, clips labels', () => {
    const many = Array.from({ length: 30 }, (_, i) => button(i, 'g'));
    const blocks = coreButtonBlocks([
      ...many,
      button(3, 'g'),
      { id: 'canevas_answer', label: 'Not a core id' },
      button(99, 'h', 'x'.repeat(100)),
    ]) as Actions[];
    expect(blocks.map((b) => b.elements?.length)).toEqual([25, 5, 1]);
    expect(blocks[2]?.elements?.[0]?.text.text).toHaveLength(75);
    expect(messageBlockProblems(blocks)).toEqual([]);
  });

  it('keeps a long post with many buttons within Slack’s limits, the buttons closing the first message', () => {
    const text = `${'x'.repeat(99)}\n`.repeat(30 * 50);
    const buttons = Array.from({ length: 12 }, (_, i) => button(i, `g${i}`));
    const messages = layoutPost(roundPost(text, buttons));
    for (const m of messages) {
      expect(messageBlockProblems(m.blocks)).toEqual([]);
      expect(m.blocks.length).toBeLessThanOrEqual(BLOCK_LIMIT);
      // Slack refuses messages with much more than 13k characters of blocks.
      expect(JSON.stringify(m.blocks).length).toBeLessThan(CHARS_PER_MESSAGE + 1_000);
    }
    const [first, ...rest] = messages;
    expect(first?.blocks.slice(-13).map((b) => b.type)).toEqual(Array(13).fill('actions'));
    expect(rest.some((m) => m.blocks.some((b) => b.type === 'actions'))).toBe(false);
    // Nothing of the text is lost to make room.
    const sections = (post: OutboundPost) =>
      layoutPost(post).flatMap((m) => m.blocks.filter((b) => b.type === 'section'));
    expect(sections(roundPost(text, buttons))).toEqual(
      sections({ ...roundPost(text, []), round: undefined }),
    );
  });

  it('packs the rows 25 buttons a block when one block a group would not fit, losing none', () => {
    const buttons = Array.from({ length: 60 }, (_, i) => button(i, `g${i}`));
    const [only] = layoutPost(roundPost('Round 9', buttons));
    expect(messageBlockProblems(only?.blocks)).toEqual([]);
    const actions = (only?.blocks ?? []).filter((b) => b.type === 'actions') as Actions[];
    expect(actions.map((b) => b.elements?.length)).toEqual([1, 25, 25, 10]);
    expect(only?.blocks[0]?.type).toBe('section');
  });
});

describe('core forms as Slack modals', () => {
  const spec: FormSpec = {
    id: 'cv|action|tag|prj.act_gov',
    title: 'A very long title for a Slack modal',
    cancel: 'Annuler',
    submit: 'Send',
    fields: [
      { id: 'what', label: 'What', kind: 'text', required: true, value: 'y'.repeat(4000) },
      { id: 'notes', label: 'Notes', kind: 'long-text', required: false, maxLength: 2000 },
      {
        id: 'rating',
        label: 'Rating',
        kind: 'select',
        required: false,
        value: 'partly',
        options: [
          { value: 'in-place', label: 'In place' },
          { value: 'partly', label: 'Partly' },
        ],
      },
      { id: 'empty', label: 'No options', kind: 'select', required: true, options: [] },
      { id: 'due', label: 'By when', kind: 'date', required: true, value: '2027-03-31' },
      { id: 'bad', label: 'Bad date', kind: 'date', required: false, value: '31/03/2027' },
    ],
  };
  const meta = { form: spec.id, channel: 'C1', team: 'T1' };

  it('renders each field kind within Slack’s limits, its value as the initial one', () => {
    const view = formView(spec, meta);
    expect(viewProblems(view)).toEqual([]);
    expect(view?.title.text).toBe('A very long title for a…');
    // The close button speaks the campaign's language, as the submit button does.
    expect(view?.close?.text).toBe('Annuler');
    expect(JSON.parse(view?.private_metadata ?? '')).toEqual(meta);
    const elements = (view?.blocks ?? []).map((b) => ('element' in b ? b.element : undefined));
    expect(elements.map((e) => e?.type)).toEqual([
      'plain_text_input',
      'plain_text_input',
      'static_select',
      'plain_text_input',
      'datepicker',
      'datepicker',
    ]);
    expect(elements[0]).toMatchObject({ multiline: false, max_length: 3000 });
    expect([...String((elements[0] as { initial_value?: string }).initial_value)]).toHaveLength(3000);
    expect(elements[1]).toEqual({
      type: 'plain_text_input',
      action_id: 'value',
      multiline: true,
      max_length: 2000,
    });
    expect(elements[2]).toMatchObject({ initial_option: { value: 'partly' } });
    expect(elements[4]).toMatchObject({ initial_date: '2027-03-31' });
    expect(elements[5]).not.toHaveProperty('initial_date');
    expect((view?.blocks ?? []).map((b) => ('optional' in b ? b.optional : undefined))).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
    ]);
  });

  it('opens no form whose id would not fit the metadata', () => {
    expect(formView(spec, { ...meta, form: 'x'.repeat(3000) })).toBeUndefined();
  });

  it('reads the values back by field, an empty one as ""', () => {
    expect(
      formValues({
        what: { value: { value: 'A charter' } },
        notes: { value: { value: null } },
        rating: { value: { selected_option: { value: 'partly' } } },
        due: { value: { selected_date: '2027-03-31' } },
        later: { value: { selected_date: null } },
      }),
    ).toEqual({ what: 'A charter', notes: '', rating: 'partly', due: '2027-03-31', later: '' });
    const withProto = formValues(JSON.parse('{"__proto__":{"value":{"value":"x"}}}'));
    expect(Object.hasOwn(withProto, '__proto__')).toBe(true);
  });

  it('turns a refusal into a message the member can only close', () => {
    const view = messageView('An objection to a statement', 'This statement was revised.');
    expect(viewProblems(view)).toEqual([]);
    expect(view).not.toHaveProperty('submit');
  });
});

describe('Slack permalinks', () => {
  it('links an answer in its thread, and a message of the channel, as chat.getPermalink would', () => {
    expect(
      permalink('https://slack.com', 'C1', {
        messageRef: '1800000001.000200',
        threadRef: '1800000000.000100',
      }),
    ).toBe('https://slack.com/archives/C1/p1800000001000200?thread_ts=1800000000.000100&cid=C1');
    expect(permalink('https://slack.com', 'C1', { messageRef: '1800000000.000100' })).toBe(
      'https://slack.com/archives/C1/p1800000000000100',
    );
    // A form's answer or an upload has no message ts of its own.
    expect(permalink('https://slack.com', 'C1', { messageRef: 'V123' })).toBeUndefined();
  });
});

describe('the Slack app manifest', () => {
  const manifest = parse(
    readFileSync(join(import.meta.dirname, '..', '..', 'slack', 'manifest.yaml'), 'utf8'),
  ) as {
    oauth_config: { scopes: { bot: string[] } };
    settings: { event_subscriptions: { bot_events: string[] } };
  };

  it('asks for the reactions and subscribes to them, and an OAuth install asks for the same scopes', () => {
    expect(manifest.oauth_config.scopes.bot).toContain('reactions:read');
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['message.channels', 'message.groups', 'reaction_added', 'reaction_removed']),
    );
  });
});
