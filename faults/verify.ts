import { Redis } from 'ioredis';
import { type Campaign, type CanvasTemplate, createCampaignLists, createRedisStore } from '../src/index.js';
import { keys } from '../src/store/keys.js';
import type { FakeDiscord } from '../tests/fakes/discord-server.js';
import type { FakeSlackApi } from '../tests/fakes/slack-api.js';
import type { Ledger, Tracked } from './ledger.js';

/** What was checked from outside, summed over every campaign. */
export interface Totals {
  answersSent: number;
  answersStored: number;
  answersWrong: string[];
  postsExpected: number;
  postsMade: number;
  postsDuplicated: number;
  postsOutOfOrder: number;
  /** Every finding, one line each: an empty list is a pass. */
  problems: string[];
}

/** A question as the platform shows it: its block and a key that must be unique per post. */
interface SeenQuestion {
  blockId: string;
}

export function openStore(url: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: 20 });
  // Reconnects on its own after the suite's Redis restarts; nothing to do meanwhile.
  redis.on('error', () => undefined);
  return { redis, store: createRedisStore(redis), lists: createCampaignLists(redis) };
}

export type StoreView = ReturnType<typeof openStore>;

export async function campaignOf(view: StoreView, t: Tracked): Promise<Campaign | null> {
  const id = await view.store.latestId(t.channel);
  return id ? view.store.get(id) : null;
}

const blockOrder = (template: CanvasTemplate) => template.fiches.flatMap((f) => f.blocks.map((b) => b.id));

/** Slack: each message carries its post's dedupe key and part; questions are keyed `<campaign>-q-<block>`. */
function slackQuestions(api: FakeSlackApi, t: Tracked, campaignId: string) {
  const all = api.channelMessages(t.channel.channel).filter((m) => m.metadata?.event_payload);
  const seen = new Map<string, number>();
  for (const m of all) {
    const p = m.metadata?.event_payload ?? {};
    const k = `${String(p.key)}#${String(p.part ?? 0)}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const duplicated = [...seen.values()].reduce((n, c) => n + c - 1, 0);
  const prefix = `${campaignId}-q-`;
  const questions: SeenQuestion[] = all
    .filter((m) => !m.thread_ts && String(m.metadata?.event_payload.key).startsWith(prefix))
    .filter((m) => Number(m.metadata?.event_payload.part ?? 0) === 0)
    .map((m) => ({ blockId: String(m.metadata?.event_payload.key).slice(prefix.length) }));
  return { questions, duplicated };
}

/** Discord: a question is an embed with the Answer button; its block is found by its title. */
function discordQuestions(discord: FakeDiscord, t: Tracked, template: CanvasTemplate) {
  const blocks = template.fiches.flatMap((f) => f.blocks);
  const mine = discord.botMessages().filter((m) => m.channel_id === t.channel.channel);
  const questions: SeenQuestion[] = mine
    .filter((m) => m.embeds.length > 0 && m.components.length > 0)
    .map((m) => {
      const text = m.embeds.map((e) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n');
      const block =
        blocks.find((b) => text.includes(b.question.en)) ?? blocks.find((b) => text.includes(b.title.en));
      return { blockId: block?.id ?? `unknown:${m.id}` };
    });
  const texts = mine.map((m) => JSON.stringify([m.content, m.embeds]));
  const duplicated = texts.length - new Set(texts).size;
  return { questions, duplicated };
}

/** Checks every tracked campaign from outside: the store through the core's own reader, the fakes' records. */
export async function verify(
  ledger: Ledger,
  view: StoreView,
  fakes: { slack: FakeSlackApi; discord: FakeDiscord },
): Promise<Totals> {
  const totals: Totals = {
    answersSent: 0,
    answersStored: 0,
    answersWrong: [],
    postsExpected: 0,
    postsMade: 0,
    postsDuplicated: 0,
    postsOutOfOrder: 0,
    problems: [...ledger.problems],
  };
  for (const t of ledger.campaigns) {
    const say = (line: string) => totals.problems.push(`${t.name}: ${line}`);
    const campaign = await campaignOf(view, t);
    const template = campaign ? await view.store.getTemplate(campaign.templateId) : null;
    if (!campaign || !template) {
      say('campaign not found in Redis');
      continue;
    }
    // Answers: each one sent is stored once, with its last text, removed when it was deleted.
    totals.answersSent += t.answers.size;
    for (const [id, sent] of t.answers) {
      const stored = campaign.answers[id];
      const right = stored && stored.text === sent.text && Boolean(stored.removedAt) === sent.removed;
      if (right) totals.answersStored++;
      else {
        const got = stored
          ? JSON.stringify({ text: stored.text, removed: Boolean(stored.removedAt) })
          : 'nothing';
        totals.answersWrong.push(`${t.name} ${id}: sent ${JSON.stringify(sent)}, stored ${got}`);
      }
    }
    const unknown = Object.keys(campaign.answers).filter((id) => !t.answers.has(id));
    if (unknown.length)
      say(`${unknown.length} stored answers nobody sent: ${unknown.slice(0, 3).join(', ')}`);

    // Posts: the questions follow the template's order, each once, none missing.
    const order = blockOrder(template);
    const seen =
      t.channel.platform === 'slack'
        ? slackQuestions(fakes.slack, t, campaign.id)
        : discordQuestions(fakes.discord, t, template);
    const asked = campaign.questions.filter((q) => q.status !== 'pending').length;
    const expected = t.ticking ? asked : t.questions;
    if (asked !== expected) say(`the core opened ${asked} questions, ${expected} were asked for`);
    const made = new Set(seen.questions.map((q) => q.blockId));
    totals.postsExpected += expected;
    totals.postsMade += made.size;
    totals.postsDuplicated += seen.duplicated + (seen.questions.length - made.size);
    let disorder = 0;
    seen.questions.forEach((q, i) => {
      if (q.blockId !== order[i]) disorder++;
    });
    totals.postsOutOfOrder += disorder;
    if (made.size !== expected) say(`${expected} questions expected, ${made.size} made`);
    if (disorder) say(`questions out of order: ${seen.questions.map((q) => q.blockId).join(' ')}`);
    if (seen.duplicated) say(`${seen.duplicated} posts made twice`);

    // Nothing left behind: no post waiting or given up, no event set aside.
    const left = await view.lists.postsLength(campaign.id);
    const failed = (await view.store.loadCounted(campaign.id))?.failedPosts ?? { count: 0 };
    const dead = await view.redis.llen(keys.dead(campaign.id));
    if (left) say(`${left} posts still waiting`);
    if (failed.count) say(`${failed.count} posts given up: ${failed.last?.error}`);
    if (dead) say(`${dead} events set aside`);
  }
  if (totals.answersWrong.length) totals.problems.push(...totals.answersWrong.slice(0, 20));
  return totals;
}
