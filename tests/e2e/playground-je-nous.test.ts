import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { ACTION, jeNousContract, RES, rawForm } from '../contract/je-nous.js';
import { type PlaygroundForm, type PlaygroundPost, playgroundDriver } from '../contract/playground-driver.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * From "I" to "we" in the playground, through its HTTP API alone, on the real engine, store and
 * queues: the shared « je → nous » contract, and what only the playground shows (its status codes and
 * error codes, button ids and groups, reactions in the channel, the export's links to the page).
 */
const DB = 28;

let runtime: Runtime;
const { driver, api, posts, exportedPost, campaign, settled } = playgroundDriver(() => runtime);
const { command, press, submit, react } = api;
const snapshot = driver.snapshot;
const postOf = async (id: string) => (await posts()).find((p) => p.id === id) as PlaygroundPost;
const coreButtons = (post: PlaygroundPost) => (post.buttons ?? []).filter((b) => b.id.startsWith('core.'));

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  runtime = await startTestRuntime(DB);
});

afterAll(async () => {
  await runtime?.close();
});

describe('from “I” to “we” in the playground', () => {
  jeNousContract(() => driver, {
    async support({ benAnswer, chloeAnswer, resourceQuestion }) {
      // Twice is once; the API answers with the message's reactions.
      expect(await react('chloe', benAnswer, '👍')).toEqual({
        status: 200,
        body: { ok: true, reactions: { '👍': ['chloe'], '🎉': ['ben'] } },
      });
      const thread = (await postOf(resourceQuestion)).replies;
      expect(thread.find((r) => r.id === benAnswer)?.reactions).toEqual({ '👍': ['chloe'], '🎉': ['ben'] });
      expect(thread.find((r) => r.id === chloeAnswer)?.reactions).toEqual({ '🎉': ['chloe'] });
      for (const post of await posts()) expect(post.reactions).toEqual({});
      // The core keeps the support emoji; 🎉 is the channel's alone.
      expect((await react('ben', benAnswer, '🎉', false)).body.reactions).toEqual({ '👍': ['chloe'] });
    },

    async next({ host }) {
      expect((await postOf(host)).buttons).toEqual([
        { id: `remind.${host}`, label: '🔔 Remind me' },
        { id: `core.${host}.0`, label: '📝 The shared resource', group: 'write' },
        { id: `core.${host}.1`, label: '📝 Purpose', group: 'write' },
        { id: `core.${host}.2`, label: '📝 Values', group: 'write' },
      ]);
    },

    async 'write-refused'({ host }) {
      const before = await snapshot();
      const res = await press('ben', `core.${host}.0`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ ok: false, error: 'not-admin', message: expect.stringMatching(/admin/i) });
      // Nor may he send the form he was not given.
      const sent = await submit('ben', `core.${host}.0`, { text: 'Ben’s own version.' });
      expect([sent.status, sent.body.error]).toEqual([403, 'not-admin']);
      expect(await snapshot()).toEqual(before);
    },

    async write({ host: hostId, forms }) {
      const form = rawForm<PlaygroundForm>(forms.write);
      expect([form.id, form.submit]).toEqual([`core.${hostId}.0`, 'Send']);
      const host = await postOf(hostId);
      expect(host.kind).toBe('round');
      expect(host.updatedAt).toBeDefined();
      expect(host.reactions).toEqual({});
      // The others keep their ids, and the new buttons get new ones.
      expect(coreButtons(host)).toEqual([
        { id: `core.${hostId}.1`, label: '📝 Purpose', group: 'write' },
        { id: `core.${hostId}.2`, label: '📝 Values', group: 'write' },
        { id: `core.${hostId}.3`, label: `✅ Consent${RES}`, style: 'primary', group: 'def.resource' },
        { id: `core.${hostId}.4`, label: `🟡 Concern${RES}`, group: 'def.resource' },
        { id: `core.${hostId}.5`, label: `🛑 Objection${RES}`, group: 'def.resource' },
        { id: `core.${hostId}.6`, label: `✏️ Revise${RES}`, group: 'def.resource' },
      ]);
    },

    async objection({ host, forms }) {
      expect(forms.objection?.id).toBe(`core.${host}.5`);
      const before = await snapshot();
      const empty = await submit('chloe', `core.${host}.5`, { reason: '   ' });
      expect(empty).toEqual({
        status: 400,
        body: { ok: false, errors: { reason: 'This field is needed.' } },
      });
      expect(await snapshot()).toEqual(before);
      const stance = (await postOf(host)).replies.find((r) => r.kind === 'stance');
      expect(stance?.text).toContain('Chloé');
    },

    async revise({ host }) {
      // Stances on version 2 are new buttons; Revise is the same one.
      expect(coreButtons(await postOf(host)).filter((b) => b.group === 'def.resource')).toEqual([
        { id: `core.${host}.7`, label: `✅ Consent${RES}`, style: 'primary', group: 'def.resource' },
        { id: `core.${host}.8`, label: `🟡 Concern${RES}`, group: 'def.resource' },
        { id: `core.${host}.9`, label: `🛑 Objection${RES}`, group: 'def.resource' },
        { id: `core.${host}.6`, label: `✏️ Revise${RES}`, group: 'def.resource' },
      ]);
    },

    async stale({ firstConsent }) {
      const before = await snapshot();
      const res = await press('chloe', firstConsent);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        ok: false,
        error: 'statement-revised',
        message: expect.stringMatching(/revised/),
      });
      expect(await snapshot()).toEqual(before);
    },

    async statement({ host }) {
      expect(coreButtons(await postOf(host)).map((b) => [b.group, b.label])).toEqual([
        ['write', '📝 Values'],
        ['def.resource', `✅ Consent${RES}`],
        ['def.resource', `🟡 Concern${RES}`],
        ['def.resource', `🛑 Objection${RES}`],
        ['def.resource', `✏️ Revise${RES}`],
        ['def.purpose', '✅ Consent · Purpose'],
        ['def.purpose', '🟡 Concern · Purpose'],
        ['def.purpose', '🛑 Objection · Purpose'],
        ['def.purpose', '✏️ Revise · Purpose'],
      ]);
      const typed = await command('ada', '/canevas statement block:def.values');
      expect(typed).toEqual({
        status: 200,
        body: {
          ok: true,
          reply: 'Shared version',
          form: {
            id: expect.stringMatching(/^command\.[A-Za-z0-9_-]+$/),
            title: 'Shared version',
            submit: 'Send',
            fields: [
              {
                id: 'text',
                label: 'Values · The text to agree on',
                kind: 'long-text',
                required: true,
                maxLength: 3000,
              },
            ],
          },
        },
      });
      // The core checks who submits, not only who pressed or typed.
      const before = await snapshot();
      const forged = await submit('ben', (typed.body.form as PlaygroundForm).id, {
        text: 'Ben’s own version.',
      });
      expect([forged.status, forged.body.error]).toEqual([403, 'not-admin']);
      expect(await snapshot()).toEqual(before);

      // Round 2 is still open: no round post follows it yet, so its statements get a post of their own.
      const stakeholders = (await command('ada', '/canevas statement block:def.stakeholders')).body
        .form as PlaygroundForm;
      expect(
        (await submit('ada', stakeholders.id, { text: 'Makers, repairers and neighbours.' })).status,
      ).toBe(200);
      const consent = await waitFor('the consent post', async () =>
        (await posts()).find((p) => p.kind === 'consent'),
      );
      expect(consent.text).toContain('Makers, repairers and neighbours.');
      expect(coreButtons(consent).map((b) => [b.id, b.label])).toEqual([
        [`core.${consent.id}.0`, '✅ Consent · Stakeholders'],
        [`core.${consent.id}.1`, '🟡 Concern · Stakeholders'],
        [`core.${consent.id}.2`, '🛑 Objection · Stakeholders'],
        [`core.${consent.id}.3`, '✏️ Revise · Stakeholders'],
      ]);
      expect((await press('chloe', `core.${consent.id}.0`)).status).toBe(200);
      await waitFor('chloé’s consent counted', async () =>
        (await postOf(consent.id)).text.includes('✅ 1 · 🟡 0 · 🛑 0'),
      );
    },

    async export({ benAnswer, permalink }) {
      const doc = JSON.parse(await driver.exported('json', 1));
      const block = doc.fiches[0].blocks.find((b: { id: string }) => b.id === 'def.resource');
      expect(block.answers[0].id).toBe(benAnswer);
      const md = await driver.exported('md', 1);
      expect(md.indexOf(block.statement.text)).toBeLessThan(md.indexOf('## Annex'));
      expect(md).toContain(`[message](${permalink})`);
      expect((await exportedPost('.md', 1)).kind).toBe('export');
    },

    async action({ actionQuestion = '', forms }) {
      expect((await postOf(actionQuestion)).buttons).toEqual([
        { id: `answer.${actionQuestion}`, label: 'Answer' },
        { id: `core.${actionQuestion}.0`, label: '🎯 Propose an action' },
      ]);
      expect(forms.action?.fields.map((f) => [f.id, f.kind])).toEqual([
        ['what', 'text'],
        ['who', 'text'],
        ['due', 'date'],
        ['indicator', 'text'],
      ]);
      // Its date is checked: a date written another way is refused, changing nothing.
      const before = await snapshot();
      const bad = await submit('ben', `core.${actionQuestion}.0`, { ...ACTION, due: '31/03/2027' });
      expect(bad).toEqual({
        status: 400,
        body: { ok: false, errors: { due: 'A date such as 2027-03-31, please.' } },
      });
      expect(await snapshot()).toEqual(before);

      // A form's answer shows in its thread as the bot's echo: a 👍 on the echo is support for the answer.
      const answerId =
        Object.values((await campaign()).answers).find((a) => a.blockId === 'prj.act_gov')?.id ?? '';
      const echo = await waitFor('the echo in the thread', async () => {
        const made = (await postOf(actionQuestion)).replies.find((r) => r.text.includes(ACTION.what));
        return made && (await campaign()).echoes?.[made.id] ? made : undefined;
      });
      expect((await react('chloe', echo.id, '👍')).status).toBe(200);
      await waitFor('the support on the action', async () => (await campaign()).answers[answerId]?.reactions);
      expect((await campaign()).answers[answerId]?.reactions).toEqual({ '👍': ['chloe'] });
    },

    async 'action-consent'({ actionQuestion = '' }) {
      const post = (await postOf(actionQuestion)).replies.find((r) => r.kind === 'action-consent');
      expect(post?.text).toContain('✅ 2 · 🟡 0 · 🛑 0 · **agreed**');
      const [answerId] = Object.keys((await campaign()).actionConsents ?? {});
      expect((await command('ada', '/canevas export json')).body.ok).toBe(true);
      const exported: {
        actions: {
          answerId: string;
          status: string;
          consent: { stances: { author: { id: string }; stance: string }[] };
        }[];
      } = JSON.parse(await driver.exported('json', 2));
      const action = exported.actions.find((a) => a.answerId === answerId);
      expect(action?.status).toBe('agreed');
      // Chloé's consent took the place of her concern.
      expect(action?.consent.stances.map((s) => [s.author.id, s.stance]).sort()).toEqual([
        ['ada', 'consent'],
        ['chloe', 'consent'],
      ]);
    },

    async ostrom({ forms }) {
      const form = rawForm<PlaygroundForm>(forms.ostrom);
      expect(form.fields[0]?.options?.map((o) => o.label)).toEqual([
        'In place',
        'Partly',
        'Not yet',
        'Don’t know',
      ]);
      const before = await snapshot();
      const bad = await submit('chloe', form.id, { boundaries: 'maybe' });
      expect(bad).toEqual({
        status: 400,
        body: { ok: false, errors: { boundaries: 'This field is needed.' } },
      });
      expect(await snapshot()).toEqual(before);
      const good = await submit('chloe', form.id, { boundaries: 'partly', congruence: '' });
      expect(good.status).toBe(200);
      await settled();
      expect((await campaign()).ostrom?.chloe?.ratings).toEqual({ boundaries: 'partly' });
    },
  });
});
