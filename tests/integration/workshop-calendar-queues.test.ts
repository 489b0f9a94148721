import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { openRound, reminderTime } from '../../src/facilitation/rounds.js';
import { nextRun } from '../../src/schedule/cadence.js';
import { localDay } from '../../src/schedule/calendar.js';
import type { RunKind, ScheduledRun } from '../../src/store/schedule-store.js';
import { playgroundApi } from '../helpers/playground-api.js';
import { freshRedis } from '../helpers/redis.js';
import { activeCampaign, startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Nudges, the opt-in, quiet days and holidays on the real runtime and its sweeper, with a controlled
 * clock: each scheduled run is found in the sorted set at the time it stands for, the clock is set to
 * that time, and the real sweeper makes it then. The test starts at the real time and names its days
 * from the cadence's next runs; runs are made in time order, as the clock moves forward.
 */
const DB = 26;
const TZ = 'Europe/Paris';
const CADENCE = 'twice-weekly';

interface Post {
  id: string;
  kind?: string;
  text: string;
  threadRef?: string;
}

let runtime: Runtime;
let base: string;
let now = new Date();
const api = playgroundApi(() => base);

/** The cadence's next runs from the start: the first is made a holiday, the second a quiet day later. */
const first = nextRun(CADENCE, TZ, now);
const second = nextRun(CADENCE, TZ, first);
const third = nextRun(CADENCE, TZ, second);
const fourth = nextRun(CADENCE, TZ, third);
const holiday = localDay(first, TZ).date;
const weekdayOf = (at: Date) =>
  ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][localDay(at, TZ).weekday];

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  runtime = await startTestRuntime(DB, {}, { serve: true, work: true }, () => now);
  base = `http://127.0.0.1:${runtime.port}`;
});

afterAll(async () => {
  await runtime?.close();
});

const campaign = () => activeCampaign(runtime);

/** The campaign's scheduled run of this kind in the sorted set, matching `where`. */
async function pending(
  kind: RunKind,
  where: (run: ScheduledRun) => boolean = () => true,
): Promise<ScheduledRun> {
  const id = (await campaign()).id;
  return waitFor(`a ${kind} run`, async () =>
    (await runtime.schedule.of(id)).find((run) => run.kind === kind && where(run)),
  );
}

/** The time a run stands for: the cadence's run, or the nudge's due time. */
const dueAt = (run: ScheduledRun) => run.dueAt;

/**
 * Sets the clock to `at` (the run's time by default), sweeps, and waits until the run is made (its
 * claim ended). The weekly digest is not this test's subject: its run is moved out of the way first,
 * so that moving the clock past a Monday does not post one in between.
 */
async function runAtItsTime(run: ScheduledRun, at = dueAt(run)): Promise<void> {
  if ((await runtime.schedule.of(run.campaignId)).some((r) => r.kind === 'digest'))
    await runtime.schedule.set('digest', run.campaignId, new Date('2100-01-04T08:00:00Z'));
  now = at;
  await runtime.sweepOnce();
  await waitFor(`the ${run.kind} run made`, async () => {
    if (await runtime.schedule.inProgress(run.campaignId, run.kind)) return false;
    const runs = await runtime.schedule.of(run.campaignId);
    return !runs.some((r) => r.kind === run.kind && r.dueAt.getTime() === run.dueAt.getTime());
  });
}

/** The campaign's inbox applied and its posts made. */
async function settled(): Promise<void> {
  const { id } = await campaign();
  await waitFor('the campaign to settle', async () =>
    (await runtime.lists.postsLength(id)) + (await runtime.lists.inboxLength(id)) === 0 ? true : undefined,
  );
}

const topLevel = async () => (await api.posts<Post>()).filter((p) => !p.threadRef);

describe('a workshop on the real sweeper, with a holiday, quiet days and a nudge', () => {
  it('announces the first deadline past the holiday, and times the nudge 12 h before it', async () => {
    const start = `/canevas start lang:en tz:${TZ} cadence:${CADENCE} holiday:${holiday} reminder:12h`;
    const started = await api.command('ada', start);
    expect(started.body).toMatchObject({ ok: true });
    const c = await waitFor('round 1 open', async () => {
      const found = await campaign();
      return openRound(found)?.closesAt ? found : undefined;
    });
    // The next run is a holiday: the round closes on the run after it.
    const round = openRound(c);
    expect(round?.closesAt).toBe(second.toISOString());
    const nudge = await pending('reminder');
    expect(nudge.args).toMatchObject({ roundId: round?.id, closesAt: round?.closesAt });
    expect(dueAt(nudge).toISOString()).toBe(new Date(second.getTime() - 12 * 3600_000).toISOString());
    const status = await api.command('ben', '/canevas status');
    expect(status.body.reply).toContain('Holidays: ');
    expect(status.body.reply).toContain('A reminder comes 12 h before each deadline');
  });

  // The holiday's run comes before the nudge (the runs are at least two days apart), so it is made first.
  it('does nothing on the holiday’s run', async () => {
    // The first round's posts are made and recorded (each record is a new version) before comparing.
    const c = await waitFor('the first round’s posts recorded', async () => {
      const found = await campaign();
      const open = found.questions.filter((q) => q.status === 'open');
      const recorded = open.length > 0 && open.every((q) => q.postRef) && openRound(found)?.postRef;
      return recorded && found.progressPostRef ? found : undefined;
    });
    const roundId = openRound(c)?.id;
    const onHoliday = await pending('tick', (j) => dueAt(j).getTime() === first.getTime());
    const posts = (await api.posts<Post>()).length;
    await runAtItsTime(onHoliday);
    const after = await campaign();
    expect(openRound(after)?.id).toBe(roundId);
    expect(after.version).toBe(c.version);
    expect((await api.posts<Post>()).length).toBe(posts);
  });

  it('lets members opt in, then nudges in the channel, mentioning only who has not answered', async () => {
    expect((await api.command('chloe', '/canevas remind-me on')).body).toMatchObject({ ok: true });
    expect((await api.command('ben', '/canevas remind-me')).body).toMatchObject({ ok: true });
    // The round's question posts, once the outbox has made them all.
    const questions = await waitFor('the first round’s questions', async () => {
      const posted = (await topLevel()).filter((p) => p.kind === 'question');
      return posted.length >= 3 ? posted : undefined;
    });
    // Ben answers one question of the round: no longer waited for. Nobody else answers.
    expect((await api.answer('ben', questions[0]?.id ?? '', 'A shared map of bike lanes')).status).toBe(201);
    await waitFor('the answer', async () => Object.keys((await campaign()).answers).length === 1);
    const before = (await topLevel()).length;
    await runAtItsTime(await pending('reminder'));
    const nudge = await waitFor('the nudge', async () =>
      (await topLevel()).find((p) => p.kind === 'reminder'),
    );
    expect((await topLevel()).length).toBe(before + 1);
    expect(nudge.text).toContain('@Chloé');
    expect(nudge.text).not.toContain('@Ben');
    expect(nudge.text).toContain('no answer yet');
    expect(nudge.text).not.toMatch(/@(everyone|here|channel)/);
    expect(openRound(await campaign())?.remindedAt).toBe(now.toISOString());
  });

  it('closes the round on the next allowed run', async () => {
    const roundId = openRound(await campaign())?.id;
    const allowed = await pending('tick', (j) => dueAt(j).getTime() === second.getTime());
    await runAtItsTime(allowed);
    const next = await waitFor('round 2 open', async () => {
      const found = await campaign();
      return openRound(found)?.id !== roundId ? found : undefined;
    });
    expect(openRound(next)?.closesAt).toBe(third.toISOString());
    await waitFor(
      'round 2 posted',
      async () => (await topLevel()).filter((p) => p.kind === 'round').length === 2,
    );
    const round = openRound(next);
    const nudge = await pending('reminder', (j) => j.args?.roundId === round?.id);
    expect(dueAt(nudge).toISOString()).toBe(
      reminderTime(round?.openedAt, round?.closesAt ?? '', 12).toISOString(),
    );
  });

  it('moves the open round past a day made quiet with schedule, and its nudge with it', async () => {
    const reply = await api.command('ada', `/canevas schedule quiet:${weekdayOf(third)}`);
    expect(reply.body).toMatchObject({ ok: true });
    const c = await waitFor('the deadline moved', async () => {
      const found = await campaign();
      return openRound(found)?.closesAt === fourth.toISOString() ? found : undefined;
    });
    const round = openRound(c);
    const moved = await pending('reminder', (j) => j.args?.closesAt === round?.closesAt);
    expect(dueAt(moved).toISOString()).toBe(new Date(fourth.getTime() - 12 * 3600_000).toISOString());
    const notice = await waitFor('the schedule notice', async () =>
      (await topLevel()).find(
        (p) => p.kind === 'notice' && p.text.includes('Quiet days, when no round opens or closes'),
      ),
    );
    expect(notice.text).toContain('A reminder comes 12 h before each deadline.');
  });
});

describe('a run missed by more than 2 hours', () => {
  it('is not made late: the worker runs it and nothing moves', async () => {
    // What the steps before left to apply or post is done first, so that it is not taken for the run's.
    await settled();
    const c = await campaign();
    const tick = await pending('tick');
    const posts = (await api.posts<Post>()).length;
    await runAtItsTime(tick, new Date(dueAt(tick).getTime() + 3 * 3600_000));
    await settled();
    const after = await campaign();
    expect(after.version).toBe(c.version);
    expect(openRound(after)?.id).toBe(openRound(c)?.id);
    expect((await api.posts<Post>()).length).toBe(posts);
  });
});

/** The next instants after `from` at which the zone's UTC offset changes (DST), found day by day. */
function offsetChanges(from: Date, count: number): Date[] {
  const offset = (at: Date) =>
    new Intl.DateTimeFormat('en-US', { timeZone: TZ, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
  const changes: Date[] = [];
  let day = new Date(from);
  while (changes.length < count) {
    const next = new Date(day.getTime() + 86_400_000);
    if (offset(next) !== offset(day)) changes.push(next);
    day = next;
  }
  return changes;
}

const localTime = (at: string | undefined) =>
  at
    ? new Intl.DateTimeFormat('en-GB', {
        timeZone: TZ,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(at))
    : '';

describe('across the daylight-saving changes, both ways', () => {
  for (const [index, label] of [
    [0, 'the next change'],
    [1, 'the one after'],
  ] as const) {
    it(`keeps the deadline at 10:00 local and the nudge 12 h before it over ${label}`, async () => {
      const change = offsetChanges(new Date(), 2)[index] as Date;
      await api.command('ada', '/canevas stop');
      // Eight days before the change, with every day up to the change a holiday: the round closes after it.
      now = new Date(change.getTime() - 8 * 86_400_000);
      const days = `${localDay(new Date(now.getTime() + 86_400_000), TZ).date}..${localDay(change, TZ).date}`;
      const start = `/canevas start lang:en tz:${TZ} cadence:${CADENCE} holiday:${days} reminder:12h`;
      expect((await api.command('ada', start)).body).toMatchObject({ ok: true });
      const c = await waitFor('the new round open', async () => {
        const found = await campaign();
        return found.status === 'running' && openRound(found)?.closesAt ? found : undefined;
      });
      const closesAt = openRound(c)?.closesAt ?? '';
      expect(new Date(closesAt) > change).toBe(true);
      expect(localTime(closesAt)).toBe('10:00');
      const nudge = await pending('reminder', (j) => j.args?.closesAt === closesAt);
      expect(Date.parse(closesAt) - dueAt(nudge).getTime()).toBe(12 * 3600_000);
      expect(localTime(dueAt(nudge).toISOString())).toBe('22:00');
    });
  }
});
