import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate, roundsOf } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { createCampaign, transition } from '../../src/facilitation/machine.js';
import { DEFAULT_FORMAT, openRound, reminderTime } from '../../src/facilitation/rounds.js';
import {
  type Campaign,
  type CampaignEvent,
  DEFAULT_REMINDER_HOURS,
  type Effect,
} from '../../src/facilitation/types.js';
import { DEFAULT_CADENCE, DEFAULT_DIGEST_CRON, nextRun } from '../../src/schedule/cadence.js';
import { ada, campaignInit } from '../fixtures/campaigns.js';

/**
 * The default workshop, run on its default schedule with a simulated clock from `start` to the final
 * canvas: how long it takes, and how many top-level posts the channel gets each week.
 */
let template: CanvasTemplate;
beforeAll(async () => {
  template = await loadDefaultTemplate();
});

/** Effects that make a new top-level message in the channel, nudges included. */
function topLevelPosts(effects: readonly Effect[], progressPosted: boolean): number {
  let count = 0;
  for (const e of effects) {
    if (
      [
        'post-intro',
        'post-round',
        'post-question',
        'post-reminder',
        'post-consent',
        'notice',
        'compile-canvas',
        'post-digest',
      ].includes(e.type)
    )
      count += 1;
    // The living progress post is made once and then edited in place.
    if (e.type === 'update-progress' && !progressPosted) count += 1;
  }
  return count;
}

function simulate(start: Date): { end: Date; perWeek: Map<string, number>; nudges: number } {
  const tz = 'Europe/Paris';
  let campaign: Campaign = createCampaign(
    campaignInit({
      now: start,
      cadence: DEFAULT_CADENCE,
      digestCron: DEFAULT_DIGEST_CRON,
      format: DEFAULT_FORMAT,
      blockIds: roundsOf(template).flatMap((r) => r.blocks),
      rounds: roundsOf(template).map((r) => ({ id: r.id, blockIds: r.blocks })),
    }),
  );
  const perWeek = new Map<string, number>();
  let progressPosted = false;
  let nudges = 0;
  const apply = (event: CampaignEvent, at: Date) => {
    const result = transition(campaign, event, at);
    if (!result.ok) throw new Error(`${event.type} refused: ${result.error}`);
    const week = DateTime.fromJSDate(at, { zone: tz }).toFormat("kkkk-'W'WW");
    perWeek.set(week, (perWeek.get(week) ?? 0) + topLevelPosts(result.effects, progressPosted));
    nudges += result.effects.filter((e) => e.type === 'post-reminder').length;
    if (result.effects.some((e) => e.type === 'update-progress')) progressPosted = true;
    campaign = result.campaign;
  };
  apply({ type: 'start', actor: ada }, start);
  let now = start;
  while (campaign.status === 'running') {
    // Nobody answers: every round gets its nudge, the most posts a week can have.
    const open = openRound(campaign);
    const nudge =
      open?.closesAt && !open.remindedAt
        ? reminderTime(open.openedAt, open.closesAt, DEFAULT_REMINDER_HOURS)
        : undefined;
    const runs: [Date, CampaignEvent][] = [
      [nextRun(campaign.cadence, tz, now), { type: 'tick' }],
      [nextRun(campaign.digestCron, tz, now), { type: 'digest-due' }],
      ...(nudge && nudge > now
        ? [[nudge, { type: 'reminder-due', roundId: open?.id }] as [Date, CampaignEvent]]
        : []),
    ];
    const [at, event] = runs.sort((a, b) => a[0].getTime() - b[0].getTime())[0] as [Date, CampaignEvent];
    now = at;
    const closing = event.type === 'tick' ? openRound(campaign) : undefined;
    apply(event, now);
    // An admin writes the shared version of every block of the round that just closed: one consent post.
    for (const blockId of closing?.blockIds ?? [])
      apply({ type: 'statement', actor: ada, blockId, text: `We agree on ${blockId}.` }, now);
    if (now.getTime() - start.getTime() > 20 * 7 * 86_400_000) throw new Error('never ends');
  }
  return { end: now, perWeek, nudges };
}

describe('the default workshop, from start with every default', () => {
  // Started on each day of a week, at 15:00 in Paris.
  const starts = Array.from({ length: 7 }, (_, d) =>
    DateTime.fromISO('2027-01-04T15:00', { zone: 'Europe/Paris' }).plus({ days: d }).toJSDate(),
  );

  it('posts the final canvas within 5 weeks of start, whatever the day it starts', () => {
    for (const start of starts) {
      const { end } = simulate(start);
      expect((end.getTime() - start.getTime()) / 86_400_000, start.toISOString()).toBeLessThanOrEqual(35);
    }
  });

  it('makes at most 15 top-level posts in any week, everything counted', () => {
    for (const start of starts) {
      const { perWeek, nudges } = simulate(start);
      expect(nudges).toBe(roundsOf(template).length);
      const busiest = Math.max(...perWeek.values());
      expect(busiest, `${start.toISOString()}: ${JSON.stringify([...perWeek])}`).toBeLessThanOrEqual(15);
    }
  });
});
