import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import {
  APP_ID,
  CHANNEL_ID,
  type FakeDiscord,
  type FakeMessage,
  GUILD_ID,
  GUILD_MESSAGE_REACTIONS,
  type InteractionOutcome,
  startFakeDiscord,
} from '../fakes/discord-server.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * From "I" to "we" on Discord, through the real runtime and discord.js against the fake Discord: a 👍
 * on an answer as support, the shared version written from the round post's 📝 button and its modal,
 * consent, an objection with its reason in the round post's thread, a revision, agreement, the exports,
 * an action entered with its form, Ostrom's selects, and a reaction taken back after a restart.
 */
const DB = 31;
const ada = { id: '200000000000000001', name: 'ada', admin: true };
const ben = { id: '200000000000000002', name: 'ben' };
const chloe = { id: '200000000000000003', name: 'chloe' };
const channel = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID };

let discord: FakeDiscord;
let runtime: Runtime | undefined;

async function boot(): Promise<void> {
  runtime = await startTestRuntime(DB, {
    DISCORD_TOKEN: 'fake-token',
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_API_URL: discord.url,
    DISCORD_GUILD_ID: GUILD_ID,
    DISCORD_MESSAGE_CONTENT: 'true',
  });
}

interface Button {
  custom_id: string;
  label: string;
  style: number;
}

interface ModalField {
  type: number;
  label: string;
  component: {
    type: number;
    custom_id: string;
    style?: number;
    required?: boolean;
    max_length?: number;
    value?: string;
    placeholder?: string;
    options?: { label: string; value: string }[];
  };
}

const rowsOf = (m: FakeMessage) => m.components as { type: number; components: Button[] }[];
const labelRows = (m: FakeMessage) => rowsOf(m).map((r) => r.components.map((b) => b.label));
const idOf = (m: FakeMessage, label: string) => {
  const found = rowsOf(m)
    .flatMap((r) => r.components)
    .find((b) => b.label === label);
  if (!found) throw new Error(`no button “${label}” on ${m.id}: ${JSON.stringify(labelRows(m))}`);
  return found.custom_id;
};
const textOf = (m: FakeMessage) => m.embeds.map((e) => e.description ?? '').join('\n');
const inChannel = () => discord.botMessages().filter((m) => m.channel_id === CHANNEL_ID);
const isRoundPost = (m: FakeMessage) =>
  rowsOf(m).some((r) => r.components.some((b) => b.custom_id.startsWith('canevas_remind')));
const fieldsOf = (opened: InteractionOutcome) => (opened.callback.data.components ?? []) as ModalField[];

async function campaign() {
  const id = await runtime?.store.activeId(channel);
  const found = id ? await runtime?.store.get(id) : null;
  if (!found) throw new Error('no campaign');
  return found;
}

/** Everything the last step queued is applied and posted, so a comparison does not race it. */
async function settled(): Promise<void> {
  const { id } = await campaign();
  await waitFor('the campaign to settle', async () => {
    const left = (await runtime?.lists.postsLength(id)) ?? 0;
    return left + ((await runtime?.lists.inboxLength(id)) ?? 0) === 0;
  });
}

/** The campaign and the bot's messages as they are, to show a refusal changed neither. */
async function snapshot() {
  await settled();
  const c = await campaign();
  // The living progress post is edited on its own schedule: it is not what a refusal could change.
  const messages = discord
    .botMessages()
    .filter((m) => m.id !== c.progressPostRef)
    .map((m) => ({ id: m.id, content: m.content, embeds: m.embeds, components: m.components }));
  return JSON.parse(JSON.stringify({ messages, campaign: c })) as unknown;
}

/** The `n`-th round post once it and its questions are all in, and the core knows their threads. */
async function roundPost(n: number, questions: number): Promise<FakeMessage> {
  return waitFor(`round ${n}`, async () => {
    const round = inChannel().filter(isRoundPost)[n - 1];
    if (!round) return undefined;
    const c = await campaign();
    const asked = c.questions.filter((q) => q.postRef && BigInt(q.postRef) > BigInt(round.id));
    return asked.length >= questions ? round : undefined;
  });
}

const postWhen = (id: string, until: (m: FakeMessage) => boolean, what: string) =>
  waitFor(what, () => {
    const m = discord.messages.get(id);
    return m && until(m) ? m : undefined;
  });

const RES = ' · The shared resource';
const FIRST = 'Our tools library, and the map of where to use them.';
const SECOND = 'Our tools library, the map of where to use them, and a way to join from afar.';
const REASON = 'It leaves out the people who cannot come to the workshop.';
let resourceQuestion = '';
let benAnswer = '';
let chloeAnswer = '';
let hostId = '';

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  discord = await startFakeDiscord();
  await boot();
});

afterAll(async () => {
  await runtime?.close();
  await discord?.close();
});

describe('from “I” to “we” on Discord', () => {
  it('starts a workshop with its consent round and quorum, and asks for reactions at identify', async () => {
    expect(discord.intents().at(-1)).toBeDefined();
    expect((discord.intents().at(-1) ?? 0) & GUILD_MESSAGE_REACTIONS).toBe(GUILD_MESSAGE_REACTIONS);
    const reply = await discord.command(ada, 'start', {
      lang: 'en',
      cadence: 'weekly',
      consent: '2d',
      quorum: '2',
    });
    expect(reply).toMatch(/^Off we go/);
    const c = await campaign();
    expect([c.consentHours, c.quorum]).toEqual([48, 2]);
    await roundPost(1, 3);
    resourceQuestion = (await campaign()).questions.find((q) => q.blockId === 'def.resource')?.postRef ?? '';
    expect(discord.threads.has(resourceQuestion)).toBe(true);
  });

  it('counts chloé’s 👍 on ben’s answer as support; a server’s own emoji, whatever its name, is no 👍', async () => {
    chloeAnswer = discord.say(chloe, resourceQuestion, 'A shared map of repair points.');
    benAnswer = discord.say(ben, resourceQuestion, 'Our tools library and its know-how.');
    await waitFor('both answers', async () => {
      const { answers } = await campaign();
      return answers[chloeAnswer] && answers[benAnswer];
    });
    // A custom emoji named like Slack's 👍: the core would read the name; the adapter leaves it out.
    discord.react(ada, benAnswer, 'thumbsup', true, '300000000000000001');
    discord.react(chloe, benAnswer, '👍');
    discord.react(chloe, chloeAnswer, '🎉');
    await waitFor('the support in the store', async () => (await campaign()).answers[benAnswer]?.reactions);
    await settled();
    const { answers } = await campaign();
    expect(answers[benAnswer]?.reactions).toEqual({ '👍': [chloe.id] });
    expect(answers[chloeAnswer]?.reactions).toBeUndefined();
  });

  it('`next` puts the 📝 buttons on the next round post, under Remind me; a member’s press is refused', async () => {
    await discord.command(ada, 'next');
    const round = await roundPost(2, 3);
    hostId = round.id;
    expect(labelRows(round)).toEqual([['Remind me'], ['📝 The shared resource', '📝 Purpose', '📝 Values']]);
    const before = await snapshot();
    const refused = await discord.press(ben, round.id, idOf(round, '📝 The shared resource'));
    expect(refused.callback).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(refused.reply).toMatch(/for the channel’s admins/);
    expect(await snapshot()).toEqual(before);
  });

  it('opens the statement form for ada, filled with the answers most supported first, and edits the round post with it', async () => {
    const round = discord.messages.get(hostId) as FakeMessage;
    const write = idOf(round, '📝 The shared resource');
    const opened = await discord.press(ada, hostId, write);
    expect(opened.callback.type).toBe(9);
    expect(opened.callback.data).toMatchObject({ custom_id: write, title: 'Shared version' });
    expect(fieldsOf(opened)).toEqual([
      {
        type: 18,
        label: 'The shared resource · The text to agree on',
        component: {
          type: 4,
          custom_id: 'text',
          style: 2,
          required: true,
          max_length: 3000,
          // Ben answered after Chloé, but Chloé supports his answer.
          value: 'Our tools library and its know-how.\n\nA shared map of repair points.',
        },
      },
    ]);
    const patches = discord.calls.filter((c) => c.method === 'PATCH').length;
    const sent = await discord.submitForm(ada, write, { text: FIRST });
    expect(sent.callback).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(sent.reply).toMatch(/posted for consent/);

    // One post, not two: the round post is edited in place, its embed and every button kept.
    const host = await postWhen(hostId, (m) => textOf(m).includes(FIRST), 'the statement in the round post');
    expect(
      discord.calls.slice(patches).some((c) => c.method === 'PATCH' && c.path.endsWith(`/${hostId}`)),
    ).toBe(true);
    expect(textOf(host)).toContain('round 2/9');
    expect(textOf(host)).toContain('✅ 0 · 🟡 0 · 🛑 0');
    expect(labelRows(host)).toEqual([
      ['Remind me'],
      ['📝 Purpose', '📝 Values'],
      [`✅ Consent${RES}`, `🟡 Concern${RES}`, `🛑 Objection${RES}`, `✏️ Revise${RES}`],
    ]);
    expect(rowsOf(host)[2]?.components.map((b) => b.style)).toEqual([1, 2, 2, 2]);
    expect(discord.threads.has(hostId)).toBe(false);
  });

  it('takes ben’s consent; chloé’s objection only with its reason, shared in a thread opened on the round post', async () => {
    const host = discord.messages.get(hostId) as FakeMessage;
    const consent = await discord.press(ben, hostId, idOf(host, `✅ Consent${RES}`));
    // Applied before the reply: deferred at once, ephemerally.
    expect(consent.callback).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(consent.reply).toMatch(/^✅ Your consent to the shared version of The shared resource is noted/);
    await postWhen(hostId, (m) => textOf(m).includes('✅ 1 · 🟡 0 · 🛑 0'), 'ben’s consent counted');

    const objection = idOf(host, `🛑 Objection${RES}`);
    const opened = await discord.press(chloe, hostId, objection);
    expect(opened.callback).toMatchObject({ type: 9, data: { custom_id: objection, title: 'An objection' } });
    expect(fieldsOf(opened)).toEqual([
      {
        type: 18,
        label: 'What would harm the community',
        component: { type: 4, custom_id: 'reason', style: 2, required: true, max_length: 2000 },
      },
    ]);

    const before = await snapshot();
    const empty = await discord.submitForm(chloe, objection, { reason: '   ' });
    expect(empty.callback).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(empty.reply).toBe(
      '• **What would harm the community**: This field is needed.\n\nNothing was saved. · Rien n’a été enregistré.',
    );
    expect(await snapshot()).toEqual(before);

    const objected = await discord.submitForm(chloe, objection, { reason: REASON });
    expect(objected.reply).toMatch(/^🛑 Your objection to The shared resource is noted/);
    const after = await postWhen(hostId, (m) => textOf(m).includes('**objected**'), 'the objection shown');
    expect(textOf(after)).toContain('✅ 1 · 🟡 0 · 🛑 1');
    const stance = await waitFor('the reason in the thread', () =>
      discord.botMessages().find((m) => m.channel_id === hostId),
    );
    expect(stance.content).toContain('chloe');
    expect(stance.content).toContain(REASON);
    expect(discord.threads.get(hostId)).toMatchObject({
      parent_id: CHANNEL_ID,
      name: '🤝 Shared versions · round 1/9 · What we share, and why',
    });
  });

  it('refuses Revise to ben; ada’s revision edits the post with fresh stance buttons, until both consent', async () => {
    const host = discord.messages.get(hostId) as FakeMessage;
    const revise = idOf(host, `✏️ Revise${RES}`);
    const before = await snapshot();
    const refused = await discord.press(ben, hostId, revise);
    expect(refused.callback).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(refused.reply).toMatch(/for the channel’s admins/);
    expect(await snapshot()).toEqual(before);

    const opened = await discord.press(ada, hostId, revise);
    expect(fieldsOf(opened)[0]?.component.value).toBe(FIRST);
    const sent = await discord.submitForm(ada, revise, { text: SECOND });
    expect(sent.reply).toMatch(/^📝 Version 2 of The shared resource is posted/);
    const revised = await postWhen(hostId, (m) => textOf(m).includes('(version 2)'), 'version 2');
    expect(textOf(revised)).toContain(SECOND);
    expect(textOf(revised)).toContain('✅ 0 · 🟡 0 · 🛑 0');
    const consent = idOf(revised, `✅ Consent${RES}`);
    expect(consent).toMatch(/\|def\.resource\|2\|consent$/);
    expect(idOf(revised, `✏️ Revise${RES}`)).toBe(revise);

    for (const member of [ben, chloe]) {
      const res = await discord.press(member, hostId, consent);
      expect(res.reply).toMatch(/^✅ Your consent/);
    }
    const agreed = await postWhen(hostId, (m) => textOf(m).includes('**agreed**'), 'the statement agreed');
    expect(textOf(agreed)).toContain('✅ 2 · 🟡 0 · 🛑 0');
  });

  it('exports the agreed text first, both versions, the stances with the reason, the support and a working permalink', async () => {
    await discord.command(ada, 'export', { format: 'json' });
    const jsonFile = await waitFor('the JSON export', () =>
      inChannel()
        .flatMap((m) => m.attachments)
        .find((a) => a.filename.endsWith('.json')),
    );
    const doc = JSON.parse(jsonFile.data.toString('utf8')) as {
      fiches: {
        blocks: {
          id: string;
          statement: {
            text: string;
            status: string;
            versions: {
              text: string;
              stances: { author: { id: string }; stance: string; reason?: string }[];
            }[];
          };
          answers: { id: string; support: { agree: number; disagree: number }; permalink: string | null }[];
        }[];
      }[];
    };
    const block = doc.fiches.flatMap((f) => f.blocks).find((b) => b.id === 'def.resource');
    expect(block?.statement.text).toBe(SECOND);
    expect(block?.statement.status).toBe('agreed');
    expect(block?.statement.versions.map((v) => v.text)).toEqual([FIRST, SECOND]);
    expect(
      block?.statement.versions.map((v) => v.stances.map((s) => [s.author.id, s.stance, s.reason ?? ''])),
    ).toEqual([
      [
        [ben.id, 'consent', ''],
        [chloe.id, 'objection', REASON],
      ],
      [
        [ben.id, 'consent', ''],
        [chloe.id, 'consent', ''],
      ],
    ]);
    // Most supported first: ben's answer, with chloé's 👍.
    expect(block?.answers.map((a) => [a.id, a.support])).toEqual([
      [benAnswer, { agree: 1, disagree: 0 }],
      [chloeAnswer, { agree: 0, disagree: 0 }],
    ]);
    const link = block?.answers[0]?.permalink ?? '';
    expect(link).toBe(`https://discord.com/channels/${GUILD_ID}/${resourceQuestion}/${benAnswer}`);
    // It opens ben's message: the guild, the thread it is in, and its id.
    const [, guild, where, message] =
      /^https:\/\/discord\.com\/channels\/(\d+)\/(\d+)\/(\d+)$/.exec(link) ?? [];
    expect([guild, discord.messages.get(message ?? '')?.channel_id]).toEqual([GUILD_ID, where]);

    await discord.command(ada, 'export', { format: 'md' });
    const md = (
      await waitFor('the Markdown export', () =>
        inChannel()
          .flatMap((m) => m.attachments)
          .find((a) => a.filename.endsWith('.md')),
      )
    ).data.toString('utf8');
    expect(md).toContain(SECOND);
    expect(md).toContain(link);
    expect(md.indexOf(SECOND)).toBeLessThan(md.indexOf('Our tools library and its know-how.'));
  });

  it('opens the statement form from `/canevas statement` for ada, its block suggested as she types', async () => {
    expect(await discord.autocomplete(ada, 'statement', 'block', 'valu')).toEqual(['def.values']);
    const opened = await discord.commandOutcome(ada, 'statement', { block: 'def.values' });
    expect(opened.callback.type).toBe(9);
    expect(opened.callback.data.custom_id).toMatch(/^cv\|write\|\w+\|def\.values$/);
    expect(fieldsOf(opened).map((f) => [f.label, f.component.custom_id])).toEqual([
      ['Values · The text to agree on', 'text'],
    ]);
    const before = await snapshot();
    const refused = await discord.commandOutcome(ben, 'statement', { block: 'def.values' });
    expect(refused.callback).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(refused.reply).toMatch(/for the channel’s admins/);
    expect(await snapshot()).toEqual(before);
  });

  it('records an action entered with the 🎯 form, its date checked first', async () => {
    for (let round = 3; round <= 8; round++) {
      await discord.command(ada, 'next');
      await roundPost(round, 2);
    }
    const ref = await waitFor(
      'the first action block’s question',
      async () => (await campaign()).questions.find((q) => q.blockId === 'prj.act_gov')?.postRef,
    );
    const question = discord.messages.get(ref) as FakeMessage;
    expect(labelRows(question)).toEqual([['Answer', '🎯 Propose an action']]);
    const action = idOf(question, '🎯 Propose an action');
    const opened = await discord.press(ben, ref, action);
    expect(opened.callback.data.title).toBe('An action');
    const fields = fieldsOf(opened);
    expect(
      fields.map((f) => [f.label, f.component.custom_id, f.component.style, f.component.required]),
    ).toEqual([
      ['What', 'what', 1, true],
      ['Who takes it on', 'who', 1, true],
      ['By when (YYYY-MM-DD)', 'due', 1, true],
      ['The indicator that shows it is done', 'indicator', 1, true],
    ]);
    expect(fields[2]?.component.placeholder).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const values = {
      what: 'Write the charter of the tools library',
      who: 'Ben and Chloé',
      due: '31/03/2027',
      indicator: 'The charter is signed at the assembly',
    };
    const before = await snapshot();
    const bad = await discord.submitForm(ben, action, values);
    expect(bad.reply).toBe(
      '• **By when \\(YYYY-MM-DD\\)**: A date such as 2027-03-31, please.\n\nNothing was saved. · Rien n’a été enregistré.',
    );
    expect(await snapshot()).toEqual(before);

    const good = await discord.submitForm(ben, action, { ...values, due: '2027-03-31' });
    expect(good.reply).toMatch(/^🎯 Action noted/);
    await settled();
    const actions = Object.values((await campaign()).answers).filter((a) => a.blockId === 'prj.act_gov');
    expect(actions.map((a) => [a.author.id, a.text])).toEqual([
      [
        ben.id,
        'Write the charter of the tools library — Ben and Chloé — 2027-03-31 — The charter is signed at the assembly',
      ],
    ]);
  });

  it('puts the action to consent in its question’s thread; two consents agree it', async () => {
    const questionId = (await campaign()).questions.find((q) => q.blockId === 'prj.act_gov')?.postRef;
    const post = await waitFor('the action’s consent post', () =>
      discord
        .botMessages()
        .find((m) => m.channel_id === questionId && m.content.includes('**Action proposed by ben**')),
    );
    expect(labelRows(post)).toEqual([['✅ Consent', '🟡 Concern', '🛑 Objection']]);
    for (const user of [chloe, ada]) {
      const pressed = await discord.press(user, post.id, idOf(post, '✅ Consent'));
      expect(pressed.reply).toMatch(/^✅ Your consent to the action “Write the charter/);
    }
    const agreed = await postWhen(post.id, (m) => m.content.includes('**agreed**'), 'the action agreed');
    expect(agreed.content).toContain('✅ 2 · 🟡 0 · 🛑 0');
  });

  it('rates Ostrom’s principles with the string selects of the last round’s 📊 form', async () => {
    await discord.command(ada, 'next');
    const round = await roundPost(9, 2);
    const part = idOf(round, '📊 Ostrom’s principles (1/2)');
    const opened = await discord.press(chloe, round.id, part);
    expect(opened.callback.data.title).toBe('Ostrom’s principles 1/2');
    const fields = fieldsOf(opened);
    expect(fields).toHaveLength(4);
    expect(fields[0]).toEqual({
      type: 18,
      label: 'Clear boundaries (who is a member, who decid…',
      component: {
        type: 3,
        custom_id: 'boundaries',
        required: false,
        min_values: 0,
        max_values: 1,
        options: [
          { value: 'in-place', label: 'In place' },
          { value: 'partly', label: 'Partly' },
          { value: 'not-yet', label: 'Not yet' },
          { value: 'unknown', label: 'Don’t know' },
        ],
      },
    });
    // Discord sends every select of the modal, chosen or not.
    const chosen = Object.fromEntries(
      fields.map((f, i) => [f.component.custom_id, i === 0 ? ['partly'] : []]),
    );
    const sent = await discord.submitForm(chloe, part, chosen);
    expect(sent.reply).toMatch(/^📊 Thank you/);
    await settled();
    expect((await campaign()).ostrom?.[chloe.id]?.ratings).toEqual({ boundaries: 'partly' });
  });

  it('takes chloé’s 👍 back when she removes it after a restart (a message the bot has not seen since)', async () => {
    await runtime?.close();
    runtime = undefined;
    await boot();
    discord.react(chloe, benAnswer, '👍', false);
    await waitFor('the support taken back', async () => {
      const answer = (await campaign()).answers[benAnswer];
      return answer && answer.reactions === undefined;
    });
  });

  it('refuses a stance after stop, politely and to the presser alone', async () => {
    await discord.command(ada, 'stop');
    await waitFor('the end', async () => (await runtime?.store.activeId(channel)) === null);
    const host = discord.messages.get(hostId) as FakeMessage;
    const id = await runtime?.store.latestId(channel);
    const ended = () => runtime?.store.get(id ?? '');
    const before = JSON.stringify(await ended());
    const res = await discord.press(chloe, hostId, idOf(host, `✅ Consent${RES}`));
    expect(res.callback).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(res.reply).toMatch(/ended/);
    expect(JSON.stringify(await ended())).toBe(before);
  });
});
