import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { cronOf, nextRun } from '../../src/schedule/cadence.js';

/** What the cron parser says, computed afresh each time (no run kept). */
const fresh = (cadence: string, tz: string, after: Date) =>
  CronExpressionParser.parse(cronOf(cadence), { tz, currentDate: after }).next().toDate();

describe('runs kept once worked out', () => {
  it('give the run the cron parser gives, at any instant, across DST changes and zones', () => {
    const schedules: [string, string][] = [
      ['weekdays', 'Europe/Paris'],
      ['twice-weekly', 'America/Montreal'],
      ['30 2 * * *', 'Europe/Paris'],
      ['daily', 'Asia/Kathmandu'],
    ];
    // Around the spring and autumn changes of 2026, at uneven steps so instants fall inside kept spans.
    const starts = [Date.UTC(2026, 2, 25), Date.UTC(2026, 9, 21)];
    for (const [cadence, tz] of schedules)
      for (const start of starts)
        for (let at = start; at < start + 10 * 86_400_000; at += 7_517_000) {
          const after = new Date(at);
          expect(nextRun(cadence, tz, after).toISOString(), `${cadence} ${tz} ${after.toISOString()}`).toBe(
            fresh(cadence, tz, after).toISOString(),
          );
        }
  });

  it('gives the run after a run, not the run itself', () => {
    const run = nextRun('daily', 'Europe/Paris', new Date('2026-12-01T08:00:00Z'));
    expect(run.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(nextRun('daily', 'Europe/Paris', run).toISOString()).toBe('2026-12-02T09:00:00.000Z');
    expect(nextRun('daily', 'Europe/Paris', new Date(run.getTime() - 1)).toISOString()).toBe(
      run.toISOString(),
    );
  });
});
