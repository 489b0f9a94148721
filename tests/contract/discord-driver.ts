import { expect } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import {
  CHANNEL_ID,
  type FakeDiscord,
  type FakeMessage,
  type FakeUser,
  GUILD_ID,
  type InteractionOutcome,
} from '../fakes/discord-server.js';
import { activeCampaign } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';
import type { ContractForm, ContractPost, JeNousDriver, Outcome } from './je-nous-driver.js';

export interface DiscordButton {
  custom_id: string;
  label: string;
  style: number;
}

export interface ModalField {
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

export const rowsOf = (m: FakeMessage) => m.components as { type: number; components: DiscordButton[] }[];
export const labelRows = (m: FakeMessage) => rowsOf(m).map((r) => r.components.map((b) => b.label));
export const textOf = (m: FakeMessage) => m.embeds.map((e) => e.description ?? '').join('\n');
export const fieldsOf = (opened: InteractionOutcome) =>
  (opened.callback.data.components ?? []) as ModalField[];
const isRoundPost = (m: FakeMessage) =>
  rowsOf(m).some((r) => r.components.some((b) => b.custom_id.startsWith('canevas_remind')));
/** What `/canevas <sub> <word>` names its one plain word, per subcommand. */
const POSITIONAL: Record<string, string> = { export: 'format' };
const SAVED_NOTHING = '\n\nNothing was saved. · Rien n’a été enregistré.';

/** One interaction and how the bot answered it, for the checks only Discord has (callback types, flags). */
export interface Interaction {
  kind: 'command' | 'press' | 'submit';
  user: string;
  outcome: InteractionOutcome;
}

/**
 * Discord, through the real runtime and discord.js against the fake gateway and REST API: commands,
 * presses and modals as interactions (answered ephemerally), answers in the questions' threads.
 */
export function discordDriver(runtime: () => Runtime, discord: () => FakeDiscord, people: FakeUser[]) {
  const [ada, ben, chloe] = people as [FakeUser, FakeUser, FakeUser];
  const person = (id: string) => {
    const found = people.find((p) => p.id === id);
    if (!found) throw new Error(`nobody is ${id}`);
    return found;
  };
  const ref = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID };
  const interactions: Interaction[] = [];
  const logged = (kind: Interaction['kind'], user: string, outcome: InteractionOutcome) => {
    interactions.push({ kind, user, outcome });
    return outcome;
  };
  const campaign = () => activeCampaign(runtime(), ref);
  const settled = async () => {
    const { id } = await campaign();
    await waitFor('the campaign to settle', async () => {
      return (await runtime().lists.postsLength(id)) + (await runtime().lists.inboxLength(id)) === 0;
    });
  };
  const inChannel = () =>
    discord()
      .botMessages()
      .filter((m) => m.channel_id === CHANNEL_ID);
  const toPost = (m: FakeMessage): ContractPost => ({
    id: m.id,
    text: [m.content, textOf(m)].filter(Boolean).join('\n'),
    buttons: rowsOf(m)
      .flatMap((r) => r.components)
      .filter((b) => b.custom_id.startsWith('cv|'))
      .map((b) => ({ id: b.custom_id, label: b.label, primary: b.style === 1 })),
    raw: m,
  });
  const toForm = (opened: InteractionOutcome): ContractForm => ({
    id: opened.callback.data.custom_id,
    title: opened.callback.data.title ?? '',
    fields: fieldsOf(opened).map(({ label, component: c }) => ({
      id: c.custom_id,
      label,
      kind: c.type === 3 ? 'select' : c.style === 2 ? 'long-text' : 'text',
      required: c.required !== false,
      ...(c.value !== undefined ? { value: c.value } : {}),
      ...(c.max_length !== undefined ? { maxLength: c.max_length } : {}),
      ...(c.options ? { options: c.options.map((o) => o.value) } : {}),
    })),
    raw: opened,
  });
  // A modal (type 9) is the form; anything else is what the bot told the presser.
  const outcome = (o: InteractionOutcome): Outcome =>
    o.callback.type === 9 ? { form: toForm(o) } : { reply: o.reply ?? o.callback.data.content ?? '' };

  const driver: JeNousDriver = {
    users: { ada: ada.id, ben: ben.id, chloe: chloe.id },
    async start() {
      const reply = await discord().command(ada, 'start', {
        lang: 'en',
        cadence: 'weekly',
        consent: '2d',
        quorum: '2',
      });
      expect(reply).toMatch(/^Off we go/);
      await driver.roundPost(1, 3);
    },
    async command(user, words) {
      const [sub = '', ...rest] = words.split(/\s+/);
      const options = Object.fromEntries(
        rest.map((w) =>
          w.includes(':') ? (w.split(/:(.*)/s).slice(0, 2) as [string, string]) : [POSITIONAL[sub] ?? sub, w],
        ),
      );
      return outcome(logged('command', user, await discord().commandOutcome(person(user), sub, options)));
    },
    answer: async (user, thread, text) => discord().say(person(user), thread, text),
    async react(user, message, emoji, on = true) {
      discord().react(person(user), message, emoji === 'support' ? '👍' : '🎉', on);
    },
    press: async (user, post, button) =>
      outcome(logged('press', user, await discord().press(person(user), post, button))),
    async submit(user, form, values) {
      // Discord sends every field of the modal: a select's choices as a list, chosen or not.
      const sent = Object.fromEntries(
        form.fields.map((f) => {
          const value = values[f.id] ?? '';
          return [f.id, f.kind === 'select' ? (value ? [value] : []) : value];
        }),
      );
      const o = logged('submit', user, await discord().submitForm(person(user), form.id, sent));
      const reply = o.reply ?? '';
      if (!reply.endsWith(SAVED_NOTHING)) return { accepted: true, reply };
      // Refused: one line a field, named by its label (escaped as Markdown).
      const byLabel = new Map(form.fields.map((f) => [f.label, f.id]));
      const errors = Object.fromEntries(
        reply
          .slice(0, -SAVED_NOTHING.length)
          .split('\n')
          .map((line) => /^• \*\*(.+)\*\*: (.+)$/.exec(line))
          .map((m) => [byLabel.get((m?.[1] ?? '').replace(/\\(.)/g, '$1')) ?? m?.[1], m?.[2]]),
      );
      return { accepted: false, errors };
    },
    roundPost: async (n, questions) => toPost(await roundPost(n, questions)),
    async post(id) {
      const m = discord().messages.get(id);
      if (!m) throw new Error(`no message ${id}`);
      return toPost(m);
    },
    threadReplies: async (post) =>
      discord()
        .botMessages()
        .filter((m) => m.channel_id === post)
        .map(toPost),
    exported: async (format, nth) =>
      (
        await waitFor(`export ${nth} of ${format}`, () =>
          inChannel()
            .flatMap((m) => m.attachments)
            .filter((a) => a.filename.endsWith(`.${format}`))
            .at(nth - 1),
        )
      ).data.toString('utf8'),
    async openPermalink(link, answer) {
      // It opens the message: the guild, the thread it is in, and its id.
      const [, guild, where, message] =
        /^https:\/\/discord\.com\/channels\/(\d+)\/(\d+)\/(\d+)$/.exec(link) ?? [];
      expect([guild, message, discord().messages.get(message ?? '')?.channel_id]).toEqual([
        GUILD_ID,
        answer,
        where,
      ]);
    },
    campaign,
    settled,
    async snapshot() {
      await settled();
      const c = await campaign();
      // The living progress post is edited on its own schedule: it is not what a refusal could change.
      const messages = discord()
        .botMessages()
        .filter((m) => m.id !== c.progressPostRef)
        .map((m) => ({ id: m.id, content: m.content, embeds: m.embeds, components: m.components }));
      return JSON.parse(JSON.stringify({ messages, campaign: c })) as unknown;
    },
  };

  /** The `n`-th round post once it and its questions are all in, and the core knows their threads. */
  const roundPost = (n: number, questions: number) =>
    waitFor(`round ${n}`, async () => {
      const round = inChannel().filter(isRoundPost)[n - 1];
      if (!round) return undefined;
      const c = await campaign();
      const asked = c.questions.filter((q) => q.postRef && BigInt(q.postRef) > BigInt(round.id));
      return asked.length >= questions ? round : undefined;
    });

  /** The last interaction of this kind by this person. */
  const last = (kind: Interaction['kind'], user: FakeUser) => {
    const found = interactions.filter((i) => i.kind === kind && i.user === user.id).at(-1);
    if (!found) throw new Error(`no ${kind} by ${user.name}`);
    return found.outcome;
  };
  return { driver, interactions, last, inChannel, roundPost };
}
