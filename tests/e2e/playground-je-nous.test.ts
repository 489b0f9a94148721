import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import type { QuestionParts } from '../../src/platform.js';
import { playgroundApi } from '../helpers/playground-api.js';
import { freshRedis } from '../helpers/redis.js';
import { activeCampaign, startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * From "I" to "we" in the playground, through its HTTP API alone, on the real engine, store and
 * queues: support by reaction, the shared version written by an admin, consent, an objection with its
 * reason, a revision, agreement, and an action entered with its form.
 */
const DB = 28;

interface Button {
  id: string;
  label: string;
  style?: string;
  group?: string;
}

interface Message {
  id: string;
  kind: string;
  text: string;
  author: { id: string };
  reactions: Record<string, string[]>;
  buttons?: Button[];
  updatedAt?: string;
}

interface Post extends Message {
  question?: QuestionParts;
  replies: Message[];
}

interface Form {
  id: string;
  title: string;
  submit: string;
  fields: { id: string; label: string; kind: string; required: boolean; value?: string }[];
}

let runtime: Runtime;
let base: string;

const api = playgroundApi(() => base);
const { command, press, submit, react } = api;
const posts = <P extends Post = Post>() => api.posts<P>();

const campaign = () => activeCampaign(runtime);

/** Everything the last step queued is applied and posted, so a comparison does not race it. */
async function settled(): Promise<void> {
  const { id } = await campaign();
  await waitFor('the campaign to settle', async () => {
    return (await runtime.lists.postsLength(id)) + (await runtime.lists.inboxLength(id)) === 0;
  });
}

/** The channel and the campaign as they are, to show a refusal changed neither. */
async function snapshot() {
  await settled();
  // The living progress post is edited on its own schedule: it is not what a refusal could change.
  return { posts: (await posts()).filter((p) => p.kind !== 'progress'), campaign: await campaign() };
}

/** The `round`-th round post and the questions after it, once they are all in. */
async function roundPosts(round: number, questions: number): Promise<{ round: Post; questions: Post[] }> {
  return waitFor(`round ${round}`, async () => {
    const all = await posts();
    const rounds = all.filter((p) => p.kind === 'round');
    const at = all.indexOf(rounds[round - 1] as Post);
    if (at < 0) return undefined;
    const after = all.slice(at + 1).filter((p) => p.kind === 'question');
    if (after.length < questions) return undefined;
    return { round: all[at] as Post, questions: after.slice(0, questions) };
  });
}

/** The post with this id once it is as `until` wants it. */
const postWhen = (id: string, until: (p: Post) => boolean, what: string) =>
  waitFor(what, async () => (await posts()).find((p) => p.id === id && until(p)));

const coreButtons = (post: Post) => (post.buttons ?? []).filter((b) => b.id.startsWith('core.'));
const button = (post: Post, label: string) => {
  const found = post.buttons?.find((b) => b.label === label);
  if (!found) throw new Error(`no button ${label} on ${post.id}`);
  return found;
};

/** The text of the `nth` export file of this kind posted in the channel, once it is there. */
async function exportedFile(ext: string, nth: number): Promise<string> {
  type Exported = Post & { file?: { name: string; url: string } };
  const post = await waitFor(`export ${nth} of ${ext}`, async () => {
    const files = (await posts<Exported>()).filter((p) => p.kind === 'export' && p.file?.name.endsWith(ext));
    return files[nth - 1];
  });
  return (await fetch(`${base}${post.file?.url ?? ''}`)).text();
}

let benAnswer = '';
let chloeAnswer = '';
/** The second round's post, which puts the first round's shared statements to consent. */
let hostId = '';
let firstConsent = '';
const RES = ' · The shared resource';
const PUR = ' · Purpose';

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  runtime = await startTestRuntime(DB);
  base = `http://127.0.0.1:${runtime.port}`;
});

afterAll(async () => {
  await runtime?.close();
});

describe('from “I” to “we” in the playground', () => {
  it('counts a 👍 on an answer as support, and keeps any other emoji in the channel only', async () => {
    expect((await command('ada', '/canevas start lang:en')).body.ok).toBe(true);
    const [resource] = (await roundPosts(1, 3)).questions;
    if (!resource) throw new Error('no question');
    const chloe = await api.answer('chloe', resource.id, 'A shared map of repair points.');
    const ben = await api.answer('ben', resource.id, 'Our tools library and its know-how.');
    expect([chloe.status, ben.status]).toEqual([201, 201]);
    chloeAnswer = (chloe.body.message as Message).id;
    benAnswer = (ben.body.message as Message).id;
    expect((chloe.body.message as Message).reactions).toEqual({});

    const thumbs = await react('chloe', benAnswer, '👍');
    expect(thumbs).toEqual({ status: 200, body: { ok: true, reactions: { '👍': ['chloe'] } } });
    // Twice is once.
    expect((await react('chloe', benAnswer, '👍')).body.reactions).toEqual({ '👍': ['chloe'] });
    expect((await react('ben', benAnswer, '🎉')).body.reactions).toEqual({ '👍': ['chloe'], '🎉': ['ben'] });

    const thread = (await posts()).find((p) => p.id === resource.id)?.replies ?? [];
    expect(thread.find((r) => r.id === benAnswer)?.reactions).toEqual({ '👍': ['chloe'], '🎉': ['ben'] });
    expect(thread.find((r) => r.id === chloeAnswer)?.reactions).toEqual({});
    for (const post of await posts()) expect(post.reactions).toEqual({});

    await waitFor('the support in the store', async () => (await campaign()).answers[benAnswer]?.reactions);
    await settled();
    const c = await campaign();
    // The core keeps the support emoji; 🎉 is the channel's alone.
    expect(c.answers[benAnswer]?.reactions).toEqual({ '👍': ['chloe'] });
    expect(c.answers[chloeAnswer]?.reactions).toBeUndefined();

    expect((await react('ben', benAnswer, '🎉', false)).body.reactions).toEqual({ '👍': ['chloe'] });
  });

  it('`next` puts a 📝 write button per block of the round before on the next round post', async () => {
    expect((await command('ada', '/canevas next')).body.ok).toBe(true);
    const { round } = await roundPosts(2, 3);
    expect(round.buttons).toEqual([
      { id: `remind.${round.id}`, label: '🔔 Remind me' },
      { id: `core.${round.id}.0`, label: '📝 The shared resource', group: 'write' },
      { id: `core.${round.id}.1`, label: '📝 Purpose', group: 'write' },
      { id: `core.${round.id}.2`, label: '📝 Values', group: 'write' },
    ]);
  });

  it('refuses 📝 to a member, changing nothing', async () => {
    const { round } = await roundPosts(2, 3);
    const before = await snapshot();
    const res = await press('ben', `core.${round.id}.0`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ ok: false, error: 'not-admin', message: expect.stringMatching(/admin/i) });
    // Nor may he send the form he was not given.
    const sent = await submit('ben', `core.${round.id}.0`, { text: 'Ben’s own version.' });
    expect([sent.status, sent.body.error]).toEqual([403, 'not-admin']);
    expect(await snapshot()).toEqual(before);
  });

  it('gives an admin the form filled with the answers, most supported first, and puts the statement to consent in the round post', async () => {
    const { round } = await roundPosts(2, 3);
    hostId = round.id;
    const opened = await press('ada', `core.${round.id}.0`);
    expect(opened).toEqual({
      status: 200,
      body: {
        ok: true,
        form: {
          id: `core.${round.id}.0`,
          title: 'Shared version',
          submit: 'Send',
          fields: [
            {
              id: 'text',
              label: 'The shared resource · The text to agree on',
              kind: 'long-text',
              required: true,
              // Ben answered after Chloé, but Chloé supports his answer.
              value: 'Our tools library and its know-how.\n\nA shared map of repair points.',
              maxLength: 3000,
            },
          ],
        },
      },
    });
    const form = opened.body.form as Form;
    const sent = await submit('ada', form.id, {
      text: 'Our tools library, and the map of where to use them.',
    });
    expect(sent).toEqual({
      status: 200,
      body: { ok: true, reply: expect.stringMatching(/posted for consent/) },
    });

    // One post, not two: the round post is edited in place with the statement and its buttons.
    const host = await postWhen(
      hostId,
      (p) => p.text.includes('Our tools library, and the map of where to use them.'),
      'the statement in the round post',
    );
    expect(host.kind).toBe('round');
    expect(host.updatedAt).toBeDefined();
    expect(host.reactions).toEqual({});
    expect(host.text).toContain('✅ 0 · 🟡 0 · 🛑 0');
    // The written block's 📝 is gone; the others keep their ids, and the new buttons get new ones.
    expect(coreButtons(host)).toEqual([
      { id: `core.${hostId}.1`, label: '📝 Purpose', group: 'write' },
      { id: `core.${hostId}.2`, label: '📝 Values', group: 'write' },
      { id: `core.${hostId}.3`, label: `✅ Consent${RES}`, style: 'primary', group: 'def.resource' },
      { id: `core.${hostId}.4`, label: `🟡 Concern${RES}`, group: 'def.resource' },
      { id: `core.${hostId}.5`, label: `🛑 Objection${RES}`, group: 'def.resource' },
      { id: `core.${hostId}.6`, label: `✏️ Revise${RES}`, group: 'def.resource' },
    ]);
    firstConsent = `core.${hostId}.3`;
  });

  it('takes a consent, and an objection only with its reason, shared in the round post’s thread', async () => {
    const host = await postWhen(hostId, () => true, 'the round post');
    const agreed = await press('ben', button(host, `✅ Consent${RES}`).id);
    expect(agreed).toEqual({ status: 200, body: { ok: true, reply: expect.stringMatching(/consent/i) } });
    await postWhen(hostId, (p) => p.text.includes('✅ 1 · 🟡 0 · 🛑 0'), 'ben’s consent counted');

    const objection = button(host, `🛑 Objection${RES}`).id;
    const opened = await press('chloe', objection);
    expect(opened.status).toBe(200);
    const form = opened.body.form as Form;
    expect(form.id).toBe(objection);
    expect(form.fields).toEqual([
      {
        id: 'reason',
        label: 'What would harm the community',
        kind: 'long-text',
        required: true,
        maxLength: 2000,
      },
    ]);

    const before = await snapshot();
    const empty = await submit('chloe', form.id, { reason: '   ' });
    expect(empty).toEqual({ status: 400, body: { ok: false, errors: { reason: 'This field is needed.' } } });
    expect(await snapshot()).toEqual(before);

    const reason = 'It leaves out the people who cannot come to the workshop.';
    const objected = await submit('chloe', form.id, { reason });
    expect(objected).toEqual({ status: 200, body: { ok: true, reply: expect.stringMatching(/objection/i) } });
    const after = await postWhen(
      hostId,
      (p) => p.text.includes('**objected**') && p.replies.some((r) => r.kind === 'stance'),
      'the objection shown',
    );
    expect(after.text).toContain('✅ 1 · 🟡 0 · 🛑 1');
    const stance = after.replies.find((r) => r.kind === 'stance');
    expect(stance?.text).toContain('Chloé');
    expect(stance?.text).toContain(reason);
  });

  it('an admin’s revision edits the post in place, with fresh buttons, until it is agreed', async () => {
    const host = await postWhen(hostId, () => true, 'the round post');
    const revise = button(host, `✏️ Revise${RES}`).id;
    const opened = await press('ada', revise);
    const [field] = (opened.body.form as Form).fields;
    expect(field?.value).toBe('Our tools library, and the map of where to use them.');
    const text = 'Our tools library, the map of where to use them, and a way to join from afar.';
    const sent = await submit('ada', (opened.body.form as Form).id, { text });
    expect(sent.body).toEqual({ ok: true, reply: expect.stringMatching(/Version 2/) });

    const revised = await postWhen(hostId, (p) => p.text.includes('(version 2)'), 'version 2');
    expect(revised.text).toContain(text);
    expect(revised.text).toContain('✅ 0 · 🟡 0 · 🛑 0');
    // Stances on version 2 are new buttons; Revise is the same one.
    expect(coreButtons(revised).filter((b) => b.group === 'def.resource')).toEqual([
      { id: `core.${hostId}.7`, label: `✅ Consent${RES}`, style: 'primary', group: 'def.resource' },
      { id: `core.${hostId}.8`, label: `🟡 Concern${RES}`, group: 'def.resource' },
      { id: `core.${hostId}.9`, label: `🛑 Objection${RES}`, group: 'def.resource' },
      { id: revise, label: `✏️ Revise${RES}`, group: 'def.resource' },
    ]);

    for (const user of ['ben', 'chloe']) {
      const res = await press(user, button(revised, `✅ Consent${RES}`).id);
      expect([user, res.status]).toEqual([user, 200]);
    }
    const agreed = await postWhen(hostId, (p) => p.text.includes('**agreed**'), 'the statement agreed');
    expect(agreed.text).toContain('✅ 2 · 🟡 0 · 🛑 0');
    const statement = (await campaign()).statements?.['def.resource'];
    expect(statement?.versions.map((v) => v.stances.map((s) => [s.author.id, s.stance]))).toEqual([
      [
        ['ben', 'consent'],
        ['chloe', 'objection'],
      ],
      [
        ['ben', 'consent'],
        ['chloe', 'consent'],
      ],
    ]);
  });

  it('exports the agreed text first, both versions, the stances with the reason, support and permalinks', async () => {
    for (const format of ['json', 'md'])
      expect((await command('ada', `/canevas export ${format}`)).body.ok).toBe(true);
    const file = (ext: string) => exportedFile(ext, 1);
    const doc = JSON.parse(await file('.json'));
    const block = doc.fiches[0].blocks.find((b: { id: string }) => b.id === 'def.resource');
    expect(block.statement.status).toBe('agreed');
    expect(block.statement.text).toBe(
      'Our tools library, the map of where to use them, and a way to join from afar.',
    );
    expect(block.statement.versions).toHaveLength(2);
    const objection = block.statement.versions[0].stances.find(
      (s: { stance: string }) => s.stance === 'objection',
    );
    expect(objection).toMatchObject({ author: { id: 'chloe' }, reason: expect.any(String) });
    const ben = block.answers.find((a: { id: string }) => a.id === benAnswer);
    expect(ben.support).toEqual({ agree: 1, disagree: 0 });
    // Most supported first, and a link that opens the message on the page.
    expect(block.answers[0].id).toBe(benAnswer);
    expect(ben.permalink).toMatch(new RegExp(`/#${benAnswer}$`));
    const page = await fetch(ben.permalink.replace(/^https?:\/\/[^/]+/, base).replace(/#.*$/, ''));
    expect(page.status).toBe(200);
    const md = await file('.md');
    const agreedAt = md.indexOf(
      'Our tools library, the map of where to use them, and a way to join from afar.',
    );
    expect(agreedAt).toBeGreaterThan(0);
    expect(agreedAt).toBeLessThan(md.indexOf('## Annex'));
    expect(md).toContain(`[message](${ben.permalink})`);
  });

  it('refuses a stance on version 1, pressed after the revision, changing nothing', async () => {
    const before = await snapshot();
    const res = await press('chloe', firstConsent);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      ok: false,
      error: 'statement-revised',
      message: expect.stringMatching(/revised/),
    });
    expect(await snapshot()).toEqual(before);
  });

  it('opens the statement form from `/canevas statement`; a block of the open round gets a consent post of its own', async () => {
    const typed = await command('ada', '/canevas statement block:def.purpose');
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
              label: 'Purpose · The text to agree on',
              kind: 'long-text',
              required: true,
              maxLength: 3000,
            },
          ],
        },
      },
    });
    const form = typed.body.form as Form;
    // The core checks who submits, not only who pressed or typed.
    const before = await snapshot();
    const forged = await submit('ben', form.id, { text: 'Ben’s own version.' });
    expect([forged.status, forged.body.error]).toEqual([403, 'not-admin']);
    expect(await snapshot()).toEqual(before);

    expect((await submit('ada', form.id, { text: 'Repair rather than throw away.' })).status).toBe(200);
    const host = await postWhen(hostId, (p) => p.text.includes('Repair rather than throw away.'), 'Purpose');
    expect(coreButtons(host).map((b) => [b.group, b.label])).toEqual([
      ['write', '📝 Values'],
      ['def.resource', `✅ Consent${RES}`],
      ['def.resource', `🟡 Concern${RES}`],
      ['def.resource', `🛑 Objection${RES}`],
      ['def.resource', `✏️ Revise${RES}`],
      ['def.purpose', `✅ Consent${PUR}`],
      ['def.purpose', `🟡 Concern${PUR}`],
      ['def.purpose', `🛑 Objection${PUR}`],
      ['def.purpose', `✏️ Revise${PUR}`],
    ]);

    // Round 2 is still open: no round post follows it yet, so its statements get a post of their own.
    const stakeholders = (await command('ada', '/canevas statement block:def.stakeholders')).body
      .form as Form;
    expect((await submit('ada', stakeholders.id, { text: 'Makers, repairers and neighbours.' })).status).toBe(
      200,
    );
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
    await postWhen(consent.id, (p) => p.text.includes('✅ 1 · 🟡 0 · 🛑 0'), 'chloé’s consent counted');
  });

  it('records an action entered with its form on an action block’s question, its date checked', async () => {
    // Rounds 3 to 8: the action plan is the eighth.
    for (let round = 3; round <= 8; round++) {
      expect((await command('ada', '/canevas next')).body.ok).toBe(true);
      await roundPosts(round, 3);
    }
    const question = await waitFor('the first action block’s question', async () =>
      (await posts()).find((p) => p.kind === 'question' && p.question?.blockId === 'prj.act_gov'),
    );
    expect(question.buttons).toEqual([
      { id: `answer.${question.id}`, label: 'Answer' },
      { id: `core.${question.id}.0`, label: '🎯 Propose an action' },
    ]);
    const opened = await press('ben', `core.${question.id}.0`);
    const form = opened.body.form as Form;
    expect(form.title).toBe('An action');
    expect(form.fields.map((f) => [f.id, f.kind, f.required])).toEqual([
      ['what', 'text', true],
      ['who', 'text', true],
      ['due', 'date', true],
      ['indicator', 'text', true],
    ]);

    const values = {
      what: 'Write the charter of the tools library',
      who: 'Ben and Chloé',
      due: '31/03/2027',
      indicator: 'The charter is signed at the assembly',
    };
    const before = await snapshot();
    const bad = await submit('ben', form.id, values);
    expect(bad).toEqual({
      status: 400,
      body: { ok: false, errors: { due: 'A date such as 2027-03-31, please.' } },
    });
    expect(await snapshot()).toEqual(before);

    const good = await submit('ben', form.id, { ...values, due: '2027-03-31' });
    expect(good).toEqual({ status: 200, body: { ok: true, reply: expect.any(String) } });
    await settled();
    const actions = Object.values((await campaign()).answers).filter((a) => a.blockId === 'prj.act_gov');
    expect(actions.map((a) => [a.author.id, a.text])).toEqual([
      [
        'ben',
        'Write the charter of the tools library — Ben and Chloé — 2027-03-31 — The charter is signed at the assembly',
      ],
    ]);
    // A form's answer shows in its thread as the bot's echo: a 👍 on the echo is support for the answer.
    const echo = await waitFor('the echo in the thread', async () => {
      const replies = (await posts()).find((p) => p.id === question.id)?.replies ?? [];
      const made = replies.find((r) => r.text.includes('Write the charter of the tools library'));
      return made && (await campaign()).echoes?.[made.id] ? made : undefined;
    });
    expect((await react('chloe', echo.id, '👍')).status).toBe(200);
    const answerId = actions[0]?.id ?? '';
    await waitFor('the support on the action', async () => (await campaign()).answers[answerId]?.reactions);
    expect((await campaign()).answers[answerId]?.reactions).toEqual({ '👍': ['chloe'] });
  });

  it('puts the action to consent in its thread; a concern with its reason, then two consents agree it', async () => {
    const c = await campaign();
    const [answerId] = Object.keys(c.actionConsents ?? {});
    const questionId = c.questions.find((q) => q.blockId === 'prj.act_gov')?.postRef ?? '';
    const actionPost = () =>
      waitFor('the action’s consent post', async () =>
        (await posts()).find((p) => p.id === questionId)?.replies.find((r) => r.kind === 'action-consent'),
      );
    const post = await actionPost();
    expect(post.text).toContain('Action proposed by Ben');
    expect(post.text).toContain('Write the charter of the tools library');
    expect((post.buttons ?? []).map((b) => b.label)).toEqual(['✅ Consent', '🟡 Concern', '🛑 Objection']);
    const [consent, concern] = post.buttons ?? [];

    const asked = await press('chloe', concern?.id ?? '');
    const form = asked.body.form as Form;
    expect(form.fields.map((f) => [f.id, f.required])).toEqual([['reason', false]]);
    const reason = 'Who keeps the charter up to date?';
    expect((await submit('chloe', form.id, { reason })).body).toEqual({
      ok: true,
      reply: expect.stringContaining('Your concern about the action'),
    });
    const shared = await waitFor('the concern in the thread', async () =>
      (await posts()).find((p) => p.id === questionId)?.replies.find((r) => r.text.includes(reason)),
    );
    expect(shared.text).toContain('has a concern about the action');

    for (const who of ['ada', 'chloe']) {
      const pressed = await press(who, consent?.id ?? '');
      expect(pressed.body).toEqual({
        ok: true,
        reply: expect.stringContaining('Your consent to the action'),
      });
    }
    const agreed = await waitFor('the action post showing it agreed', async () => {
      const now = await actionPost();
      return now.text.includes('✅ 2') ? now : undefined;
    });
    // Chloé's consent took the place of her concern.
    expect(agreed.text).toContain('✅ 2 · 🟡 0 · 🛑 0 · **agreed**');
    expect((await command('ada', '/canevas export json')).body.ok).toBe(true);
    const exported: {
      actions: {
        answerId: string;
        status: string;
        consent: { stances: { author: { id: string }; stance: string }[] };
      }[];
    } = JSON.parse(await exportedFile('.json', 2));
    const action = exported.actions.find((a) => a.answerId === answerId);
    expect(action?.status).toBe('agreed');
    expect(action?.consent.stances.map((s) => [s.author.id, s.stance])).toEqual([
      ['ada', 'consent'],
      ['chloe', 'consent'],
    ]);
  });

  it('rates Ostrom’s principles with the selects of the last round’s 📊 form', async () => {
    expect((await command('ada', '/canevas next')).body.ok).toBe(true);
    const { round } = await roundPosts(9, 2);
    const ostrom = (round.buttons ?? []).filter((b) => b.group === 'ostrom');
    expect(ostrom.map((b) => b.label)).toEqual([
      '📊 Ostrom’s principles (1/2)',
      '📊 Ostrom’s principles (2/2)',
    ]);
    const opened = await press('chloe', ostrom[0]?.id ?? '');
    const form = opened.body.form as Form & { fields: { options?: { value: string; label: string }[] }[] };
    expect(form.title).toBe('Ostrom’s principles 1/2');
    expect(form.fields).toHaveLength(4);
    expect(form.fields[0]).toEqual({
      id: 'boundaries',
      // Clipped to the 45 characters a Discord field label takes.
      label: 'Clear boundaries (who is a member, who decid…',
      kind: 'select',
      required: false,
      options: [
        { value: 'in-place', label: 'In place' },
        { value: 'partly', label: 'Partly' },
        { value: 'not-yet', label: 'Not yet' },
        { value: 'unknown', label: 'Don’t know' },
      ],
    });

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
  });
});
