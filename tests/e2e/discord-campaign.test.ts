import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { reminderHoursOf } from '../../src/facilitation/machine.js';
import { SUBCOMMANDS } from '../../src/facilitation/parse-command.js';
import { openRound, reminderTime } from '../../src/facilitation/rounds.js';
import { formatDeadline } from '../../src/render/view-helpers.js';
import {
  ADA,
  APP_ID,
  BEN,
  CHANNEL_ID,
  CHLOE,
  type CommandOption,
  type FakeDiscord,
  type FakeMessage,
  fakeDiscordEnv,
  GUILD_ID,
  startFakeDiscord,
} from '../fakes/discord-server.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/** A whole campaign on Discord: the real runtime and discord.js against a fake Discord on loopback. */
const DB = 14;
const ada = ADA;
const ben = BEN;
const chloe = CHLOE;
const channel = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID };

let discord: FakeDiscord;
let runtime: Runtime | undefined;
/** How far ahead of the real time the engine and workers are (a nudge is due days after a start). */
let clockShift = 0;
const clock = () => new Date(Date.now() + clockShift);

async function boot(): Promise<void> {
  runtime = await startTestRuntime(DB, fakeDiscordEnv(discord), { serve: true, work: true }, clock);
}

const inChannel = () => discord.botMessages().filter((m) => m.channel_id === CHANNEL_ID);
const customIds = (m: FakeMessage) =>
  (m.components as { components?: { custom_id?: string }[] }[])
    .flatMap((row) => row.components ?? [])
    .map((c) => c.custom_id ?? '');
const hasButton = (m: FakeMessage, prefix: string) => customIds(m).some((id) => id.startsWith(prefix));
const questions = () => inChannel().filter((m) => m.embeds.length > 0 && hasButton(m, 'canevas_answer'));
const roundPosts = () => inChannel().filter((m) => hasButton(m, 'canevas_remind'));
const textOf = (m: FakeMessage) =>
  [m.content, ...m.embeds.map((e) => `${e.title}\n${e.description}`)].join('\n');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
/** The canvas sheet posted with a summary or digest (exports are named without the day). */
const SHEET_NAME = /^canevas-velocarte-\d{4}-\d{2}-\d{2}\.png$/;
const attachmentsIn = (messages: FakeMessage[], name: RegExp) =>
  messages.flatMap((m) => m.attachments.filter((a) => name.test(a.filename)).map((a) => ({ m, a })));

async function campaign() {
  if (!runtime) throw new Error('not running');
  const id = await runtime.store.activeId(channel);
  return id ? runtime.store.get(id) : null;
}

async function liveAnswers() {
  const c = await campaign();
  return Object.values(c?.answers ?? {}).filter((a) => !a.removedAt);
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

describe('a whole campaign on Discord', () => {
  it('registers /canevas with every subcommand in the guild', () => {
    const put = discord.calls.find((c) => c.method === 'PUT');
    expect(put?.path).toBe(`/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    const subs = discord.commands()?.[0]?.options?.map((o) => o.name);
    expect(subs).toEqual([...SUBCOMMANDS]);
    // Servers only, said with `contexts` (guild) and `integration_types` (guild install), not the
    // deprecated `dm_permission`.
    const command = discord.commands()?.[0] as Record<string, unknown> | undefined;
    expect([command?.contexts, command?.integration_types, 'dm_permission' in (command ?? {})]).toEqual([
      [0],
      [0],
      false,
    ]);
  });

  it('refuses a member, then starts: intro, then a question with its thread and Answer button', async () => {
    expect(await discord.command(ben, 'start')).toMatch(/admin/i);
    expect(await campaign()).toBeNull();
    expect(await discord.command(ben, 'help')).toMatch(/canevas/i);

    const reply = await discord.command(ada, 'start', {
      lang: 'en',
      cadence: 'weekly',
      tz: 'America/Montreal',
      name: 'Vélocarte',
      format: 'drip',
    });
    expect(reply.length).toBeGreaterThan(5);
    // Posted, its thread open, and its ref recorded by the core (answers before that are not its yet).
    const [first] = await waitFor('the first question and its thread', async () => {
      const q = questions();
      const threads = (await runtime?.engine.openThreads('discord')) ?? [];
      return q.length === 1 &&
        discord.threads.has(q[0]?.id ?? '') &&
        threads.some((t) => t.threadRef === q[0]?.id)
        ? q
        : undefined;
    });
    // The intro is longer than one Discord message: continued, every piece within 2,000 characters.
    const intro = inChannel().filter((m) => m.components.length === 0);
    expect(intro.map((m) => m.content).join('\n')).toMatch(/inno³/);
    for (const m of intro) expect(m.content.length).toBeLessThanOrEqual(2000);
    expect(first && textOf(first)).toContain('The shared resource');
    // The question's embed names its deadline, the next run of the cadence in the campaign's zone.
    expect(first && textOf(first)).toMatch(/until \*\*\w+ \d+ \w+, 10:00\*\*/);
    expect(first && discord.threads.get(first.id)?.parent_id).toBe(CHANNEL_ID);
  });

  it('records thread answers once, with an edit, a delete and a mention injection quoted back escaped', async () => {
    const [q] = questions();
    if (!q) throw new Error('no question');
    const a = discord.say(ben, q.id, 'Our open map of bike-repair points, on OpenStreetMap.');
    const b = discord.say(chloe, q.id, '@everyone <@200000000000000001> **look** [x](http://evil.example)');
    const c = discord.say(ada, q.id, 'A typo to delete');
    await waitFor('three answers', async () => (await liveAnswers()).length === 3);
    discord.redeliver(a);
    discord.remove(c);
    discord.edit(a, 'Our open map of bike-repair points, kept on OpenStreetMap and our site.');
    await waitFor('the delete and the edit', async () => {
      const all = Object.values((await campaign())?.answers ?? {});
      const edited = all.find((x) => x.id === a);
      return all.find((x) => x.id === c)?.removedAt !== undefined && edited?.history?.length === 1;
    });
    expect((await liveAnswers()).map((x) => x.id).sort()).toEqual([a, b].sort());

    // A refused answer (empty) gets a short reply in the thread that pings no one, and is not stored.
    const empty = discord.say(ben, q.id, '   ');
    const refusal = await waitFor('the refusal', () =>
      discord.botMessages().find((m) => m.channel_id === q.id && m.content.length > 5 && m.id > empty),
    );
    expect(refusal.allowed_mentions?.parse).toEqual([]);
    expect((await liveAnswers()).map((x) => x.id).sort()).toEqual([a, b].sort());
  });

  it('takes an answer from the Answer button and its modal', async () => {
    const [q] = questions();
    if (!q) throw new Error('no question');
    const modal = await discord.clickAnswer(ben, q.id);
    expect(modal.type).toBe(9);
    expect(modal.data.custom_id).toBe(`canevas_answer_modal:${q.id}`);
    // The campaign is in English, so is its button and its form.
    expect(JSON.stringify(q.components)).toContain('"label":"Answer"');
    expect(JSON.stringify(modal.data)).toContain('"label":"Your answer"');
    const reply = await discord.submitModal(
      ben,
      modal.data.custom_id,
      'Answered from the modal: the volunteers.',
    );
    expect(reply.length).toBeGreaterThan(3);
    await waitFor('the modal answer', async () =>
      (await liveAnswers()).some((x) => x.text === 'Answered from the modal: the volunteers.'),
    );
  });

  it('drives the campaign with every subcommand', async () => {
    // Autocomplete: the presets matching what was typed, and the typed text itself (a cron pattern).
    const cadences = await discord.autocomplete(ada, 'schedule', 'cadence', 'week');
    expect(cadences[0]).toBe('week');
    expect(cadences).toEqual(expect.arrayContaining(['weekdays', 'weekly', 'twice-weekly']));
    expect(await discord.autocomplete(ada, 'schedule', 'tz', 'paris')).toEqual(['Europe/Paris']);
    expect(await discord.command(ben, 'next')).toMatch(/admin/i);
    discord.rateLimitNextPosts(1);
    await discord.command(ada, 'next');
    await waitFor('the second question', () => questions().length === 2);
    // The 429 was retried by @discordjs/rest: the question is posted once.
    const nonces = questions().map((q) => q.nonce);
    expect(new Set(nonces).size).toBe(2);
    const second = questions()[1];
    const tries = discord.calls.filter(
      (c) => c.method === 'POST' && (c.body as { nonce?: string } | undefined)?.nonce === second?.nonce,
    );
    expect(tries).toHaveLength(2);
    expect(await discord.command(ben, 'status')).toMatch(/\d/);
    await discord.command(ada, 'skip');
    await discord.command(ada, 'pause');
    expect((await campaign())?.status).toBe('paused');
    await discord.command(ada, 'resume');
    expect((await campaign())?.status).toBe('running');
    expect(await discord.command(ada, 'schedule', { cadence: '0 9 * * 1', tz: 'Europe/Paris' })).toContain(
      '9',
    );
    expect((await campaign())?.tz).toBe('Europe/Paris');
    expect((await campaign())?.cadence).toBe('0 9 * * 1');
  });

  it('posts the summary, the digest and an export carrying every answer', async () => {
    const before = inChannel().length;
    await discord.command(ada, 'summary');
    await discord.command(ada, 'digest');
    await discord.command(ada, 'export', { format: 'md' });
    const file = await waitFor('the export', () =>
      inChannel().find((m) => m.attachments.some((x) => x.filename.endsWith('.md'))),
    );
    const md = file.attachments[0]?.data.toString('utf8') ?? '';
    expect(md).toContain('kept on OpenStreetMap');
    expect(md).toContain('Answered from the modal');
    const posted = inChannel()
      .slice(before)
      .map((m) => m.content)
      .join('\n');
    await waitFor('summary and digest', () =>
      inChannel()
        .slice(before)
        .map((m) => m.content)
        .join('\n')
        .includes('kept on OpenStreetMap'),
    );
    void posted;

    // The summary and the digest each end with the canvas sheet, attached to their last piece.
    const sheets = await waitFor('the summary and digest pictures', () => {
      const found = attachmentsIn(inChannel().slice(before), SHEET_NAME);
      return found.length === 2 ? found : undefined;
    });
    // One post's pieces are contiguous (one outbox at a time): the heading before a sheet names its post.
    const texts = inChannel().slice(before);
    const headings = { summary: 'The canvas so far', digest: 'This week on the canvas' };
    const postOf = (at: number) =>
      texts
        .slice(0, at + 1)
        .reverse()
        .map((m) => Object.entries(headings).find(([, h]) => m.content.includes(h))?.[0])
        .find((kind) => kind !== undefined);
    expect(sheets.map(({ m }) => postOf(texts.indexOf(m))).sort()).toEqual(['digest', 'summary']);
    for (const { a } of sheets) {
      expect(a.content_type).toBe('image/png');
      expect(a.description).toBe(
        'Governance canvas of “Vélocarte”: the A3 synthesis sheet, made from the answers',
      );
      expect(a.data.subarray(0, 4)).toEqual(PNG_SIGNATURE);
    }

    await discord.command(ada, 'export', { format: 'svg' });
    const svg = await waitFor('the svg export', () => attachmentsIn(inChannel(), /\.svg$/)[0]);
    expect(svg.a.content_type).toBe('image/svg+xml');
    expect(svg.a.data.toString('utf8')).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    await discord.command(ada, 'export', { format: 'png' });
    const png = await waitFor('the png export', () =>
      attachmentsIn(inChannel(), /\.png$/).find(({ a }) => !SHEET_NAME.test(a.filename)),
    );
    expect(png.a.content_type).toBe('image/png');
    expect(png.a.data.subarray(0, 4)).toEqual(PNG_SIGNATURE);
    const all = inChannel()
      .map((m) => m.content)
      .join('\n');
    // Chloe's injection is quoted back inert: escaped markup, no live mention.
    expect(all).toContain('\\*\\*look\\*\\*');
    expect(all).toContain(`@${'\u200B'}everyone`);
    expect(all).not.toMatch(/@everyone/);
    expect(all).not.toMatch(/(?<!\\)<@\d+>/);
  });

  it('resumes after a gateway drop, and catches up answers, edits and deletes made while it was away', async () => {
    const [q] = questions();
    if (!q) throw new Error('no question');
    discord.drop();
    await waitFor('the resume', () => discord.resumes() >= 1 && discord.sessions() === 1);
    const live = discord.say(ben, q.id, 'Said after the resume.');
    const doomed = discord.say(chloe, q.id, 'Said after the resume, deleted while the bot was down.');
    await waitFor('the answers after the resume', async () => {
      const ids = (await liveAnswers()).map((x) => x.id);
      return ids.includes(live) && ids.includes(doomed);
    });

    // A reconnect that cannot resume (a new session) catches up too.
    const unseen = discord.say(ben, q.id, 'Said while the session was lost.', false);
    const sessions = discord.identifies();
    discord.drop(4007);
    await waitFor('the new session', () => discord.identifies() > sessions && discord.sessions() === 1);
    await waitFor('the answer of the lost session', async () =>
      (await liveAnswers()).some((x) => x.id === unseen),
    );

    await runtime?.close();
    runtime = undefined;
    const missed = discord.say(chloe, q.id, 'Said while the bot was down.', false);
    discord.edit(live, 'Said after the resume, edited while the bot was down.');
    discord.remove(doomed);
    await boot();
    await waitFor('the caught-up answer, edit and delete', async () => {
      const answers = Object.values((await campaign())?.answers ?? {});
      const byId = (id: string) => answers.find((x) => x.id === id);
      return (
        byId(missed)?.removedAt === undefined &&
        byId(missed)?.text === 'Said while the bot was down.' &&
        byId(live)?.text === 'Said after the resume, edited while the bot was down.' &&
        byId(doomed)?.removedAt !== undefined
      );
    });
    const edited = (await campaign())?.answers[live];
    expect(edited?.history.map((h) => h.text)).toEqual(['Said after the resume.']);
    expect((await liveAnswers()).some((x) => x.id === doomed)).toBe(false);
  });

  it('stops with the final canvas even where pictures are refused; no mentions allowed anywhere', async () => {
    const sheets = attachmentsIn(inChannel(), SHEET_NAME).length;
    const callsBefore = discord.calls.length;
    // A channel without the Attach Files permission: the final text goes out, without its picture.
    discord.refuseAttachments(true);
    await discord.command(ada, 'stop');
    await waitFor('the end', async () => (await campaign()) === null);
    const campaignId = (await runtime?.store.latestId(channel)) ?? '';
    await waitFor('every post made', async () => (await runtime?.lists.postsLength(campaignId)) === 0);
    expect((await runtime?.store.loadCounted(campaignId))?.failedPosts.count).toBe(0);
    discord.refuseAttachments(false);
    const final = inChannel().find((m) => m.content.includes('final canvas, still incomplete'));
    const refused = discord.calls
      .slice(callsBefore)
      .filter((c) => (c.body as { attachments?: unknown[] } | undefined)?.attachments !== undefined);
    expect(refused).toHaveLength(1);
    expect(attachmentsIn(inChannel(), SHEET_NAME)).toHaveLength(sheets);
    expect(final?.content).toContain('final canvas, still incomplete');
    const posts = discord.calls.filter((c) => c.method === 'POST' && /\/messages$/.test(c.path));
    expect(posts.length).toBeGreaterThan(5);
    for (const p of posts)
      expect((p.body as { allowed_mentions?: { parse?: unknown } }).allowed_mentions?.parse).toEqual([]);
  });
});

describe('a workshop on Discord: the round post’s Remind-me button, and the nudge that mentions', () => {
  const subcommand = (name: string) => discord.commands()?.[0]?.options?.find((o) => o.name === name);
  const optionNames = (sub: CommandOption | undefined) => (sub?.options ?? []).map((o) => o.name);
  const signedUp = async () => ((await campaign())?.remindMe ?? []).map((p) => p.id);
  /** The message posts (not thread creations, not edits) made from `from` on, with what they allowed. */
  const messagePosts = (from: number) =>
    discord.calls
      .slice(from)
      .filter((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path))
      .map((c) => c.body as { content?: string; allowed_mentions?: unknown });
  let callsAtStart = 0;

  it('registers remind-me, and the quiet days, holidays and reminder of start and schedule', () => {
    expect(optionNames(subcommand('remind-me'))).toEqual(['state']);
    const state = subcommand('remind-me')?.options?.[0];
    expect(state?.required ?? false).toBe(false);
    expect(state?.choices?.map((c) => c.value)).toEqual(['on', 'off']);
    for (const name of ['start', 'schedule']) {
      expect(optionNames(subcommand(name))).toEqual(
        expect.arrayContaining(['quiet', 'holiday', 'reminder', 'consent', 'quorum']),
      );
    }
    // The statement form is for a block the admin names (suggested as they type).
    const block = subcommand('statement')?.options?.[0] as CommandOption & { autocomplete?: boolean };
    expect([block?.name, block?.required, block?.autocomplete]).toEqual(['block', true, true]);
    const cadence = subcommand('schedule')?.options?.find((o) => o.name === 'cadence');
    expect(cadence?.required ?? false).toBe(false);
  });

  it('starts a workshop: a round post with its Remind-me button, then questions naming the deadline', async () => {
    callsAtStart = discord.calls.length;
    const reply = await discord.command(ada, 'start', {
      lang: 'en',
      cadence: 'weekly',
      quiet: 'sat,sun',
      holiday: '2030-12-24..2031-01-02 2031-04-01..2031-04-05',
      reminder: '12h',
    });
    expect(reply).toMatch(/^Off we go/);
    const c = await campaign();
    expect(c?.format).toBe('workshop');
    expect(c?.quietDays).toEqual([6, 7]);
    expect(c?.holidays).toEqual([
      { from: '2030-12-24', to: '2031-01-02' },
      { from: '2031-04-01', to: '2031-04-05' },
    ]);
    expect(c?.reminderHours).toBe(12);
    const round = await waitFor('the round post and its three questions', () => {
      const last = roundPosts().at(-1);
      const after = last ? questions().filter((q) => BigInt(q.id) > BigInt(last.id)) : [];
      // A question's thread is opened by a call after its message: wait for the three threads too.
      return after.length === 3 && after.every((q) => discord.threads.has(q.id)) ? last : undefined;
    });
    if (!c) throw new Error('no campaign');
    const deadline = formatDeadline(openRound(c)?.closesAt ?? '', c.lang, c.tz);
    // Laid out as a question is: an embed, and its button below.
    expect(round.content).toBe('');
    expect(round.embeds[0]?.description).toContain(`until **${deadline}**`);
    expect(customIds(round)).toEqual(['canevas_remind:en']);
    expect(JSON.stringify(round.components)).toContain('"label":"Remind me"');
    expect(JSON.stringify(round.components)).toContain('"name":"🔔"');
    // No thread on a round post: answers go to each question's thread.
    expect(discord.threads.has(round.id)).toBe(false);
    for (const q of questions().filter((m) => BigInt(m.id) > BigInt(round.id))) {
      expect(q.embeds[0]?.description).toContain(`until **${deadline}**`);
      expect(discord.threads.has(q.id)).toBe(true);
    }
  });

  it('signs up the member who presses Remind me, telling them alone', async () => {
    const round = roundPosts().at(-1);
    if (!round) throw new Error('no round post');
    const { callback, reply } = await discord.pressButton(ben, round.id, 'canevas_remind');
    // Deferred at once, ephemerally; then the command's reply replaces "thinking".
    expect(callback.type).toBe(5);
    expect(callback.data.flags).toBe(64);
    expect(reply).toMatch(/^🔔 Noted: before each deadline/);
    expect(reply).toContain('(12 h before)');
    expect(await signedUp()).toEqual([ben.id]);
    expect(await discord.command(chloe, 'status')).toContain('mentioning those who signed up (1 member)');
  });

  it('takes /canevas remind-me and remind-me state:off, each confirmed', async () => {
    expect(await discord.command(chloe, 'remind-me')).toMatch(/^🔔 Noted/);
    expect(await signedUp()).toEqual([ben.id, chloe.id]);
    expect(await discord.command(chloe, 'remind-me', { state: 'off' })).toMatch(
      /^🔕 Done: the reminder posts will no longer mention you/,
    );
    expect(await signedUp()).toEqual([ben.id]);
  });

  it('nudges before the deadline: allowed_mentions lists only the member who opted in', async () => {
    const c = await campaign();
    const round = c && openRound(c);
    if (!c || !round?.closesAt) throw new Error('no open round with a deadline');
    const due = reminderTime(round.openedAt, round.closesAt, reminderHoursOf(c));
    clockShift = due.getTime() + 60_000 - Date.now();
    try {
      await runtime?.engine.submit(c.id, { type: 'reminder-due', roundId: round.id });
      const nudge = await waitFor('the nudge', () =>
        inChannel().find((m) => m.content.includes('you asked to be reminded')),
      );
      expect(nudge.content).toContain(`<@${ben.id}>: you asked to be reminded`);
      expect(nudge.content).not.toContain(chloe.id);
      expect(nudge.allowed_mentions).toEqual({ parse: [], users: [ben.id] });
    } finally {
      clockShift = 0;
    }
    // Every other post of the workshop, the round post and the questions first, notifies no one.
    const posted = messagePosts(callsAtStart);
    const others = posted.filter((p) => !p.content?.includes('you asked to be reminded'));
    expect(others.length).toBeGreaterThanOrEqual(5);
    expect(posted.length - others.length).toBe(1);
    for (const p of others) expect(p.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers a press on an ended campaign’s round post that it has ended, changing nothing', async () => {
    const round = roundPosts().at(-1);
    if (!round) throw new Error('no round post');
    await discord.command(ada, 'stop');
    await waitFor('the end', async () => (await campaign()) === null);
    const { callback, reply } = await discord.pressButton(chloe, round.id, 'canevas_remind');
    expect(callback.data.flags).toBe(64);
    expect(reply).toMatch(/^This campaign has ended/);
    const ended = await runtime?.store.get((await runtime?.store.latestId(channel)) ?? '');
    expect(ended?.remindMe?.map((p) => p.id)).toEqual([ben.id]);
  });
});

describe("people's data on Discord", () => {
  const subcommand = (name: string) => discord.commands()?.[0]?.options?.find((o) => o.name === name);

  it('registers forget-me with its confirmation, and start with anonymous', () => {
    const confirm = subcommand('forget-me')?.options?.[0];
    expect([confirm?.name, confirm?.type, confirm?.required ?? false]).toEqual(['confirm', 5, false]);
    const anonymous = subcommand('start')?.options?.find((o) => o.name === 'anonymous');
    expect(anonymous?.type).toBe(5);
  });

  it('asks a member first, then takes their name out of the channel’s campaigns, the ended one too', async () => {
    const asked = await discord.command(ben, 'forget-me');
    expect(asked).toContain('Take back what you gave here?');
    expect(asked).toContain('/canevas forget-me confirm');
    const latest = async () => runtime?.store.get((await runtime?.store.latestId(channel)) ?? '');
    expect((await latest())?.remindMe?.map((p) => p.id)).toEqual([ben.id]);
    expect(await discord.command(ben, 'forget-me', { confirm: 'true' })).toMatch(
      /^✅ Done: in \d+ campaigns? of this channel/,
    );
    expect((await latest())?.remindMe).toBeUndefined();
    expect(JSON.stringify(await latest())).not.toContain(`"${ben.id}"`);
  });
});
