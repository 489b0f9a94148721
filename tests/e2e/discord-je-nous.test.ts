import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import {
  discordDriver,
  fieldsOf,
  type Interaction,
  labelRows,
  rowsOf,
  textOf,
} from '../contract/discord-driver.js';
import { ACTION, jeNousContract, RES, rawForm } from '../contract/je-nous.js';
import {
  ADA,
  BEN,
  CHANNEL_ID,
  CHLOE,
  type FakeDiscord,
  type FakeMessage,
  fakeDiscordEnv,
  GUILD_ID,
  GUILD_MESSAGE_REACTIONS,
  type InteractionOutcome,
  startFakeDiscord,
} from '../fakes/discord-server.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * From "I" to "we" on Discord, through the real runtime and discord.js against the fake Discord: the
 * shared « je → nous » contract, and what only Discord shows (interaction callbacks and flags, embeds,
 * action rows, labelled modals, the thread opened on the round post, autocomplete), then a reaction
 * taken back after a restart and a stance refused after stop.
 */
const DB = 31;
const ada = ADA;
const ben = BEN;
const chloe = CHLOE;
const channel = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID };
const ADMINS_ONLY = /for the channel’s admins/;
const EPHEMERAL = 64;

let discord: FakeDiscord;
let runtime: Runtime | undefined;
const { driver, interactions, last } = discordDriver(
  () => runtime as Runtime,
  () => discord,
  [ada, ben, chloe],
);
const { snapshot, campaign } = driver;

async function boot(): Promise<void> {
  runtime = await startTestRuntime(DB, fakeDiscordEnv(discord));
}

const message = (id: string) => discord.messages.get(id) as FakeMessage;
const idOf = (m: FakeMessage, label: string) => {
  const found = rowsOf(m)
    .flatMap((r) => r.components)
    .find((b) => b.label === label);
  if (!found) throw new Error(`no button “${label}” on ${m.id}: ${JSON.stringify(labelRows(m))}`);
  return found.custom_id;
};
/** The interaction of this kind by this person whose reply matches, as the bot answered it. */
const answered = (kind: Interaction['kind'], user: { id: string }, reply: RegExp): InteractionOutcome => {
  const found = interactions.find(
    (i) => i.kind === kind && i.user === user.id && reply.test(i.outcome.reply ?? ''),
  );
  if (!found) throw new Error(`no ${kind} by ${user.id} answered ${reply}`);
  return found.outcome;
};
/** Deferred at once, then answered to the presser alone. */
const deferredEphemerally = (o: InteractionOutcome) =>
  expect(o.callback).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
/** Refused at once, to the presser alone. */
async function refusedToBen(press: () => Promise<InteractionOutcome>) {
  const before = await snapshot();
  const refused = await press();
  expect(refused.callback).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
  expect(refused.reply).toMatch(ADMINS_ONLY);
  expect(await snapshot()).toEqual(before);
}

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
  let host = '';
  const state = jeNousContract(
    () => driver,
    {
      async support({ resourceQuestion, benAnswer, chloeAnswer }) {
        // Reactions were asked for at identify, and the workshop started with its consent round and quorum.
        expect((discord.intents().at(-1) ?? 0) & GUILD_MESSAGE_REACTIONS).toBe(GUILD_MESSAGE_REACTIONS);
        const c = await campaign();
        expect([c.consentHours, c.quorum]).toEqual([48, 2]);
        expect(discord.threads.has(resourceQuestion)).toBe(true);
        // A custom emoji named like Slack's 👍: the core would read the name; the adapter leaves it out.
        // Reactions are applied in the order they came: once ada's real 👍 after it is in, so is it.
        discord.react(ada, benAnswer, 'thumbsup', true, '300000000000000001');
        discord.react(ada, chloeAnswer, '👍');
        await waitFor(
          'ada’s 👍 on chloé’s answer',
          async () => (await campaign()).answers[chloeAnswer]?.reactions,
        );
        expect((await campaign()).answers[benAnswer]?.reactions).toEqual({ '👍': [chloe.id] });
        discord.react(ada, chloeAnswer, '👍', false);
        await waitFor('ada’s 👍 taken back', async () => !(await campaign()).answers[chloeAnswer]?.reactions);
      },

      async next({ host: round }) {
        host = round;
        expect(labelRows(message(host))).toEqual([
          ['Remind me'],
          ['📝 The shared resource', '📝 Purpose', '📝 Values'],
        ]);
      },

      async 'write-refused'() {
        await refusedToBen(() => discord.press(ben, host, idOf(message(host), '📝 Purpose')));
      },

      async write({ forms }) {
        const opened = rawForm<InteractionOutcome>(forms.write);
        expect(opened.callback.type).toBe(9);
        expect(opened.callback.data).toMatchObject({ title: 'Shared version' });
        expect(opened.callback.data.custom_id).toMatch(/^cv\|write\|\w+\|def\.resource$/);
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
              value: 'Our tools library and its know-how.\n\nA shared map of repair points.',
            },
          },
        ]);
        deferredEphemerally(answered('submit', ada, /posted for consent/));
        // Edited in place: its embed and every button kept.
        expect(discord.calls.some((c) => c.method === 'PATCH' && c.path.endsWith(`/${host}`))).toBe(true);
        const post = message(host);
        expect(textOf(post)).toContain('round 2/9');
        expect(labelRows(post)).toEqual([
          ['Remind me'],
          ['📝 Purpose', '📝 Values'],
          [`✅ Consent${RES}`, `🟡 Concern${RES}`, `🛑 Objection${RES}`, `✏️ Revise${RES}`],
        ]);
        expect(rowsOf(post)[2]?.components.map((b) => b.style)).toEqual([1, 2, 2, 2]);
        expect(discord.threads.has(host)).toBe(false);
      },

      async objection({ forms }) {
        // Applied before the reply: deferred at once, ephemerally.
        const consent = answered(
          'press',
          ben,
          /^✅ Your consent to the shared version of The shared resource is noted/,
        );
        deferredEphemerally(consent);
        const opened = rawForm<InteractionOutcome>(forms.objection);
        expect(opened.callback).toMatchObject({ type: 9, data: { title: 'An objection' } });
        expect(opened.callback.data.custom_id).toMatch(/\|def\.resource\|1\|objection$/);
        expect(fieldsOf(opened)).toEqual([
          {
            type: 18,
            label: 'What would harm the community',
            component: { type: 4, custom_id: 'reason', style: 2, required: true, max_length: 2000 },
          },
        ]);
        const empty = interactions.find((i) => i.kind === 'submit' && i.user === chloe.id)?.outcome;
        deferredEphemerally(empty as InteractionOutcome);
        expect(empty?.reply).toBe(
          '• **What would harm the community**: This field is needed.\n\nNothing was saved. · Rien n’a été enregistré.',
        );
        answered('submit', chloe, /^🛑 Your objection to The shared resource is noted/);
        const stance = discord.botMessages().find((m) => m.channel_id === host);
        expect(stance?.content).toContain('chloe');
        expect(discord.threads.get(host)).toMatchObject({
          parent_id: CHANNEL_ID,
          name: '🤝 Shared versions · round 1/9 · What we share, and why',
        });
      },

      async revise() {
        answered('submit', ada, /^📝 Version 2 of The shared resource is posted/);
        for (const member of [ben, chloe]) deferredEphemerally(answered('press', member, /^✅ Your consent/));
        expect(idOf(message(host), `✅ Consent${RES}`)).toMatch(/\|def\.resource\|2\|consent$/);
        await refusedToBen(() => discord.press(ben, host, idOf(message(host), `✏️ Revise${RES}`)));
      },

      async statement() {
        expect(await discord.autocomplete(ada, 'statement', 'block', 'valu')).toEqual(['def.values']);
        const opened = await discord.commandOutcome(ada, 'statement', { block: 'def.values' });
        expect(opened.callback.type).toBe(9);
        expect(opened.callback.data.custom_id).toMatch(/^cv\|write\|\w+\|def\.values$/);
        expect(fieldsOf(opened).map((f) => [f.label, f.component.custom_id])).toEqual([
          ['Values · The text to agree on', 'text'],
        ]);
        await refusedToBen(() => discord.commandOutcome(ben, 'statement', { block: 'def.values' }));
      },

      async export({ permalink, benAnswer, resourceQuestion }) {
        expect(permalink).toBe(`https://discord.com/channels/${GUILD_ID}/${resourceQuestion}/${benAnswer}`);
      },

      async action({ actionQuestion = '', forms }) {
        expect(labelRows(message(actionQuestion))).toEqual([['Answer', '🎯 Propose an action']]);
        const fields = fieldsOf(rawForm<InteractionOutcome>(forms.action));
        expect(
          fields.map((f) => [f.label, f.component.custom_id, f.component.style, f.component.required]),
        ).toEqual([
          ['What', 'what', 1, true],
          ['Who takes it on', 'who', 1, true],
          ['By when (YYYY-MM-DD)', 'due', 1, true],
          ['The indicator that shows it is done', 'indicator', 1, true],
        ]);
        expect(fields[2]?.component.placeholder).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        answered('submit', ben, /^🎯 Action noted/);
        // Its date is checked: a date written another way is refused, changing nothing.
        const before = await snapshot();
        const bad = await discord.submitForm(ben, forms.action?.id ?? '', { ...ACTION, due: '31/03/2027' });
        expect(bad.reply).toBe(
          '• **By when \\(YYYY-MM-DD\\)**: A date such as 2027-03-31, please.\n\nNothing was saved. · Rien n’a été enregistré.',
        );
        expect(await snapshot()).toEqual(before);
      },

      async 'action-consent'({ actionQuestion }) {
        const post = discord
          .botMessages()
          .find((m) => m.channel_id === actionQuestion && m.content.includes('**Action proposed by ben**'));
        expect(labelRows(post as FakeMessage)).toEqual([['✅ Consent', '🟡 Concern', '🛑 Objection']]);
      },

      async ostrom({ forms }) {
        const fields = fieldsOf(rawForm<InteractionOutcome>(forms.ostrom));
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
        expect(last('submit', chloe).reply).toMatch(/^📊 Thank you/);
      },
    },
    // Discord checks a pressed button is on the message: version 1's buttons cannot be pressed once gone.
    { staleButtons: false },
  );

  it('takes chloé’s 👍 back when she removes it after a restart (a message the bot has not seen since)', async () => {
    await runtime?.close();
    runtime = undefined;
    await boot();
    discord.react(chloe, state.benAnswer, '👍', false);
    await waitFor('the support taken back', async () => {
      const answer = (await campaign()).answers[state.benAnswer];
      return answer && answer.reactions === undefined;
    });
  });

  it('refuses a stance after stop, politely and to the presser alone', async () => {
    await discord.command(ada, 'stop');
    await waitFor('the end', async () => (await runtime?.store.activeId(channel)) === null);
    const id = await runtime?.store.latestId(channel);
    const ended = () => runtime?.store.get(id ?? '');
    const before = JSON.stringify(await ended());
    const res = await discord.press(chloe, host, idOf(message(host), `✅ Consent${RES}`));
    deferredEphemerally(res);
    expect(res.reply).toMatch(/ended/);
    expect(JSON.stringify(await ended())).toBe(before);
  });
});
