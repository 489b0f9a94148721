import { expect } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import type { QuestionParts } from '../../src/platform.js';
import { playgroundApi, waitForRound } from '../helpers/playground-api.js';
import { activeCampaign } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';
import type { ContractField, ContractForm, ContractPost, JeNousDriver, Outcome } from './je-nous-driver.js';

export interface PlaygroundButton {
  id: string;
  label: string;
  style?: string;
  group?: string;
}

export interface PlaygroundMessage {
  id: string;
  kind: string;
  text: string;
  author: { id: string };
  reactions: Record<string, string[]>;
  buttons?: PlaygroundButton[];
  updatedAt?: string;
}

export interface PlaygroundPost extends PlaygroundMessage {
  question?: QuestionParts;
  replies: PlaygroundMessage[];
}

export interface PlaygroundForm {
  id: string;
  title: string;
  submit: string;
  fields: (Omit<ContractField, 'options'> & { options?: { value: string; label: string }[] })[];
}

/** Whatever the page would show, through the playground's HTTP API alone. */
export function playgroundDriver(runtime: () => Runtime) {
  const base = () => `http://127.0.0.1:${runtime().port}`;
  const api = playgroundApi(base);
  const posts = () => api.posts<PlaygroundPost>();
  const campaign = () => activeCampaign(runtime());
  const settled = async () => {
    const { id } = await campaign();
    await waitFor('the campaign to settle', async () => {
      return (await runtime().lists.postsLength(id)) + (await runtime().lists.inboxLength(id)) === 0;
    });
  };
  const toPost = (m: PlaygroundMessage): ContractPost => ({
    id: m.id,
    text: m.text,
    buttons: (m.buttons ?? [])
      .filter((b) => b.id.startsWith('core.'))
      .map((b) => ({ id: b.id, label: b.label, primary: b.style === 'primary' })),
    raw: m,
  });
  const toForm = (form: PlaygroundForm): ContractForm => ({
    id: form.id,
    title: form.title,
    fields: form.fields.map(({ options, ...field }) => ({
      ...field,
      ...(options ? { options: options.map((o) => o.value) } : {}),
    })),
    raw: form,
  });
  const outcome = (res: { status: number; body: Record<string, unknown> }): Outcome => {
    if (res.body.form) return { form: toForm(res.body.form as PlaygroundForm) };
    return { reply: String(res.body.reply ?? res.body.message) };
  };
  /** The `nth` exported file of this kind posted in the channel, as its post shows it. */
  const exportedPost = (ext: string, nth: number) =>
    waitFor(`export ${nth} of ${ext}`, async () => {
      type Exported = PlaygroundPost & { file?: { name: string; url: string } };
      const files = (await api.posts<Exported>()).filter(
        (p) => p.kind === 'export' && p.file?.name.endsWith(ext),
      );
      return files[nth - 1];
    });

  const driver: JeNousDriver = {
    users: { ada: 'ada', ben: 'ben', chloe: 'chloe' },
    async start() {
      expect((await api.command('ada', '/canevas start lang:en')).body.ok).toBe(true);
      await driver.roundPost(1, 3);
    },
    async command(user, words) {
      const res = await api.command(user, `/canevas ${words}`);
      return outcome(res);
    },
    async answer(user, question, text) {
      const res = await api.answer(user, question, text);
      expect(res.status).toBe(201);
      const message = res.body.message as PlaygroundMessage;
      // A new message carries no reaction.
      expect(message.reactions).toEqual({});
      return message.id;
    },
    async react(user, message, emoji, on = true) {
      const res = await api.react(user, message, emoji === 'support' ? '👍' : '🎉', on);
      expect(res.status).toBe(200);
    },
    press: async (user, _post, button) => outcome(await api.press(user, button)),
    async submit(user, form, values) {
      const res = await api.submit(user, form.id, values);
      if (res.status === 200) return { accepted: true, reply: String(res.body.reply) };
      return {
        accepted: false,
        errors: (res.body.errors as Record<string, string>) ?? { form: String(res.body.message) },
      };
    },
    roundPost: async (n, questions) => toPost((await roundPosts(n, questions)).round),
    async post(id) {
      const all = await posts();
      const found = all.find((p) => p.id === id) ?? all.flatMap((p) => p.replies).find((r) => r.id === id);
      if (!found) throw new Error(`no post ${id}`);
      return toPost(found);
    },
    threadReplies: async (post) => ((await posts()).find((p) => p.id === post)?.replies ?? []).map(toPost),
    async exported(format, nth) {
      const post = await exportedPost(`.${format}`, nth);
      return (await fetch(`${base()}${post.file?.url ?? ''}`)).text();
    },
    async openPermalink(link, answer) {
      // A link that opens the message on the page.
      expect(link).toMatch(new RegExp(`/#${answer}$`));
      const page = await fetch(link.replace(/^https?:\/\/[^/]+/, base()).replace(/#.*$/, ''));
      expect(page.status).toBe(200);
    },
    campaign,
    settled,
    async snapshot() {
      await settled();
      // The living progress post is edited on its own schedule: it is not what a refusal could change.
      return { posts: (await posts()).filter((p) => p.kind !== 'progress'), campaign: await campaign() };
    },
  };

  const roundPosts = (round: number, questions: number) => waitForRound(posts, round, questions);

  return { driver, api, posts, roundPosts, exportedPost, settled, campaign };
}
