import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import type { Campaign, ChannelRef } from '../../src/facilitation/types.js';
import {
  ADA,
  BEN,
  CHANNEL_ID,
  type FakeDiscord,
  type FakeMessage,
  fakeDiscordEnv,
  GUILD_ID,
  startFakeDiscord,
} from '../fakes/discord-server.js';
import { FAKE_TEAM, type FakeSlackApi, type SlackCall, startFakeSlackApi } from '../fakes/slack-api.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { slackRequests } from '../helpers/slack-requests.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Slack and Discord in one process: one runtime configured for both, a campaign on a Slack channel
 * and one on a Discord channel driven at the same time, each platform getting its own posts only.
 */
const DB = 48;
const SECRET = 'slack-signing-secret-for-tests';
const SLACK_CHANNEL = 'C0BOTH';
const SLACK_ADMIN = 'UADA';
const slackRef: ChannelRef = { platform: 'slack', workspace: FAKE_TEAM, channel: SLACK_CHANNEL };
const discordRef: ChannelRef = { platform: 'discord', workspace: GUILD_ID, channel: CHANNEL_ID };
const ada = ADA;
const ben = BEN;
/** Every answer says where it was written, so one found on the other platform shows at once. */
const FROM_SLACK = 'Said on Slack:';
const FROM_DISCORD = 'Said on Discord:';

let slack: FakeSlackApi;
let discord: FakeDiscord;
let runtime: Runtime;
let messages = 0;
const slackRequest = slackRequests({
  base: () => `http://127.0.0.1:${runtime.port}`,
  secret: SECRET,
  channel: SLACK_CHANNEL,
  responseUrl: () => `${slack.url}respond/1`,
});

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  slack = await startFakeSlackApi();
  slack.admins.add(SLACK_ADMIN);
  discord = await startFakeDiscord();
  runtime = await startTestRuntime(DB, {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${slack.url}api/`,
    ...fakeDiscordEnv(discord),
  });
});

afterAll(async () => {
  await runtime?.close();
  await discord?.close();
  await slack?.close();
});

async function slackCommand(user: string, text: string): Promise<string> {
  return slackRequest.command(user, text);
}

async function slackReply(user: string, thread: string, text: string): Promise<string> {
  const ts = `1800000${String(++messages).padStart(3, '0')}.000300`;
  const res = await slackRequest.deliver(
    slackRequest.eventBody({ type: 'message', user, text, ts, thread_ts: thread }),
    'application/json',
  );
  expect(res.status).toBe(200);
  return ts;
}

const slackPosts = (): SlackCall[] => slack.calls.filter((c) => c.method === 'chat.postMessage');
const slackQuestions = () =>
  slackPosts().filter(
    (c) => !c.args.thread_ts && JSON.stringify(c.args.blocks ?? []).includes('canevas_answer'),
  );
const tsOf = (c: SlackCall | undefined) => String(c?.result?.ts);

const discordPosts = () => discord.botMessages();
const discordQuestions = () =>
  discordPosts().filter(
    (m) =>
      m.channel_id === CHANNEL_ID &&
      m.embeds.length > 0 &&
      JSON.stringify(m.components).includes('canevas_answer'),
  );
const discordText = (m: FakeMessage) =>
  [m.content, ...m.embeds.map((e) => `${e.title}\n${e.description}`)].join('\n');

async function campaignOf(channel: ChannelRef): Promise<Campaign> {
  const id = await runtime.store.activeId(channel);
  const found = id ? await runtime.store.get(id) : null;
  if (!found) throw new Error(`no campaign in ${channel.platform}`);
  return found;
}

const answerTexts = async (channel: ChannelRef) =>
  Object.values((await campaignOf(channel)).answers)
    .filter((a) => !a.removedAt)
    .map((a) => a.text)
    .sort();

/** The first `n` questions are posted on both, and the core knows their threads. */
async function questionsOnBoth(n: number): Promise<{ slack: string; discord: string }> {
  return waitFor(`question ${n} on Slack and on Discord`, async () => {
    const [s, d] = [slackQuestions(), discordQuestions()];
    const threads = [
      ...(await runtime.engine.openThreads('slack')),
      ...(await runtime.engine.openThreads('discord')),
    ].map((t) => t.threadRef);
    const slackThread = tsOf(s[n - 1]);
    const discordThread = d[n - 1]?.id ?? '';
    const ready =
      s.length === n &&
      d.length === n &&
      discord.threads.has(discordThread) &&
      threads.includes(slackThread) &&
      threads.includes(discordThread);
    return ready ? { slack: slackThread, discord: discordThread } : undefined;
  });
}

describe('Slack and Discord in one process, one campaign on each at once', () => {
  it('starts a campaign on each platform at the same time', async () => {
    const [onSlack, onDiscord] = await Promise.all([
      slackCommand(SLACK_ADMIN, 'start lang:en format:drip name:"Slackmap"'),
      discord.command(ada, 'start', { lang: 'en', format: 'drip', name: 'Discomap' }),
    ]);
    expect(onSlack).not.toMatch(/admin|already|usage/i);
    expect(onDiscord).not.toMatch(/admin|already|usage/i);
    await questionsOnBoth(1);
    const [s, d] = [await campaignOf(slackRef), await campaignOf(discordRef)];
    expect([s.channel, s.name]).toEqual([slackRef, 'Slackmap']);
    expect([d.channel, d.name]).toEqual([discordRef, 'Discomap']);
    expect(s.id).not.toBe(d.id);
    expect(String(slackQuestions()[0]?.args.text)).toContain('The shared resource');
    expect(discordText(discordQuestions()[0] as FakeMessage)).toContain('The shared resource');
  });

  it('takes answers in both threads at once, each into its own campaign', async () => {
    const threads = await questionsOnBoth(1);
    discord.say(ben, threads.discord, `${FROM_DISCORD} the repair map.`);
    discord.say(ada, threads.discord, `${FROM_DISCORD} the volunteers.`);
    await Promise.all([
      slackReply('UBEN', threads.slack, `${FROM_SLACK} the repair map.`),
      slackReply('UCHLOE', threads.slack, `${FROM_SLACK} the volunteers.`),
    ]);
    await waitFor('two answers in each campaign', async () => {
      const [s, d] = [await answerTexts(slackRef), await answerTexts(discordRef)];
      return s.length === 2 && d.length === 2;
    });
    expect(await answerTexts(slackRef)).toEqual([
      `${FROM_SLACK} the repair map.`,
      `${FROM_SLACK} the volunteers.`,
    ]);
    expect(await answerTexts(discordRef)).toEqual([
      `${FROM_DISCORD} the repair map.`,
      `${FROM_DISCORD} the volunteers.`,
    ]);
  });

  it('moves each on with next, at the same time, and takes an answer to the second question', async () => {
    await Promise.all([slackCommand(SLACK_ADMIN, 'next'), discord.command(ada, 'next')]);
    const second = await questionsOnBoth(2);
    await slackReply('UBEN', second.slack, `${FROM_SLACK} a second answer.`);
    discord.say(ben, second.discord, `${FROM_DISCORD} a second answer.`);
    await waitFor('three answers in each campaign', async () => {
      const [s, d] = [await answerTexts(slackRef), await answerTexts(discordRef)];
      return s.length === 3 && d.length === 3;
    });
    expect(await answerTexts(slackRef)).toContain(`${FROM_SLACK} a second answer.`);
    expect(await answerTexts(discordRef)).toContain(`${FROM_DISCORD} a second answer.`);
  });

  it('posts each summary, with its own answers and canvas sheet, on its own platform', async () => {
    await Promise.all([slackCommand(SLACK_ADMIN, 'summary'), discord.command(ada, 'summary')]);
    const slackSummary = await waitFor('the Slack summary', () =>
      slackPosts().find((c) => String(c.args.text).includes('The canvas so far')),
    );
    expect(String(slackSummary.args.text)).toContain(`${FROM_SLACK} the repair map.`);
    const discordSummary = await waitFor('the Discord summary', () => {
      const text = discordPosts()
        .filter((m) => m.channel_id === CHANNEL_ID)
        .map(discordText)
        .join('\n');
      return text.includes('The canvas so far') && text.includes('the repair map') ? text : undefined;
    });
    expect(discordSummary).toContain(`${FROM_DISCORD} the repair map.`);

    // Each canvas sheet, named after its campaign, goes to its own platform's channel.
    const slackSheet = await waitFor('the Slack sheet', () =>
      slack.calls.find(
        (c) =>
          c.method === 'files.getUploadURLExternal' &&
          /^canevas-slackmap-.*\.png$/.test(String(c.args.filename)),
      ),
    );
    const discordSheet = await waitFor('the Discord sheet', () =>
      discordPosts().find((m) => m.attachments.some((a) => /^canevas-discomap-.*\.png$/.test(a.filename))),
    );
    expect(slackSheet.args.filename).toBeDefined();
    expect(discordSheet.channel_id).toBe(CHANNEL_ID);
  });

  it('crossed nothing: every Slack call is about the Slack channel, every Discord post about the Discord one', async () => {
    // Wait for both outboxes to be empty, so nothing still on its way escapes the checks below.
    for (const channel of [slackRef, discordRef]) {
      const id = (await campaignOf(channel)).id;
      await waitFor(
        `every post of ${channel.platform} made`,
        async () => (await runtime.lists.postsLength(id)) === 0,
      );
    }
    const slackWrites = slack.calls.filter((c) =>
      ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'files.completeUploadExternal'].includes(
        c.method,
      ),
    );
    expect(slackWrites.length).toBeGreaterThan(5);
    for (const call of slackWrites) expect(call.args.channel ?? call.args.channel_id).toBe(SLACK_CHANNEL);
    const slackSent = JSON.stringify(slack.calls.map((c) => c.args));
    for (const foreign of [FROM_DISCORD, 'Discomap', 'discomap', CHANNEL_ID, GUILD_ID])
      expect(slackSent).not.toContain(foreign);

    const discordThreads = new Set(discordQuestions().map((m) => m.id));
    const posted = discordPosts();
    expect(posted.length).toBeGreaterThan(5);
    for (const m of posted)
      expect(m.channel_id === CHANNEL_ID || discordThreads.has(m.channel_id)).toBe(true);
    const discordSent = JSON.stringify(discord.calls.map((c) => [c.path, c.body]));
    for (const foreign of [FROM_SLACK, 'Slackmap', 'slackmap', SLACK_CHANNEL, FAKE_TEAM])
      expect(discordSent).not.toContain(foreign);
  });
});
