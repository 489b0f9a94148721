import { describe, expect, it } from 'vitest';
import { transition } from '../../src/facilitation/machine.js';
import { parseCommand } from '../../src/facilitation/parse-command.js';
import { openRound } from '../../src/facilitation/rounds.js';
import type { Campaign } from '../../src/facilitation/types.js';
import {
  isQuiet,
  localDay,
  mergeHolidays,
  nextAllowedRun,
  parseHoliday,
  parseQuietDays,
} from '../../src/schedule/calendar.js';
import { ada, newCampaign, T0 } from '../fixtures/campaigns.js';

/** "Thu 24/12 10:00" in the zone, built from parts so ICU's punctuation of the day does not matter. */
function local(at: Date | undefined, tz: string): string {
  if (!at) return 'none';
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day}/${p.month} ${p.hour}:${p.minute}`;
}

describe('reading quiet days and holidays', () => {
  it('reads day names in English or French, in any case, and `none`', () => {
    expect(parseQuietDays('sat,sun')).toEqual([6, 7]);
    expect(parseQuietDays('Dimanche,samedi')).toEqual([6, 7]);
    expect(parseQuietDays('mon, fri')).toEqual([1, 5]);
    expect(parseQuietDays('none')).toEqual([]);
  });

  it('refuses unknown names and a week with no day left', () => {
    expect(parseQuietDays('weekend')).toBeUndefined();
    expect(parseQuietDays('')).toBeUndefined();
    expect(parseQuietDays('mon,tue,wed,thu,fri,sat,sun')).toBeUndefined();
  });

  it('reads a span or a single day of real dates in order, at most a year', () => {
    expect(parseHoliday('2026-12-24..2027-01-02')).toEqual({ from: '2026-12-24', to: '2027-01-02' });
    expect(parseHoliday('2026-12-25')).toEqual({ from: '2026-12-25', to: '2026-12-25' });
    for (const bad of [
      '2027-02-30',
      '2027-01-02..2026-12-24',
      '24/12/2026',
      '2026-01-01..2027-06-01',
      'a..b',
    ])
      expect(parseHoliday(bad), bad).toBeUndefined();
  });

  it('keeps holidays sorted, once each', () => {
    const a = { from: '2027-04-05', to: '2027-04-05' };
    const b = { from: '2026-12-24', to: '2027-01-02' };
    expect(mergeHolidays([a], [b, a])).toEqual([b, a]);
  });

  it('parses them with start and schedule; several holidays; schedule without a cadence', () => {
    expect(parseCommand('start quiet:sat,sun holiday:2026-12-24..2027-01-02 reminder:12h')).toMatchObject({
      name: 'start',
      quietDays: [6, 7],
      holidays: [{ from: '2026-12-24', to: '2027-01-02' }],
      reminderHours: 12,
    });
    expect(parseCommand('schedule holiday:2026-12-25 holiday:2027-01-01 reminder:off')).toEqual({
      name: 'schedule',
      tz: undefined,
      holidays: [
        { from: '2026-12-25', to: '2026-12-25' },
        { from: '2027-01-01', to: '2027-01-01' },
      ],
      reminderHours: 0,
    });
    expect(parseCommand('schedule holiday:none')).toMatchObject({ holidays: 'none' });
    expect(parseCommand('schedule quiet:weekend')).toEqual({
      error: 'invalid-quiet-days',
      vars: { value: 'weekend' },
    });
    expect(parseCommand('schedule holiday:2027-13-01')).toMatchObject({ error: 'invalid-holiday' });
    expect(parseCommand('schedule reminder:0h')).toMatchObject({ error: 'invalid-reminder' });
    expect(parseCommand('schedule reminder:200h')).toMatchObject({ error: 'invalid-reminder' });
    expect(parseCommand('remind-me')).toEqual({ name: 'remind-me', on: true });
    expect(parseCommand('remind-me OFF')).toEqual({ name: 'remind-me', on: false });
    expect(parseCommand('remind-me maybe')).toMatchObject({ error: 'bad-argument' });
  });
});

describe('the next allowed run', () => {
  const paris = { cadence: 'twice-weekly', tz: 'Europe/Paris' };

  it('skips quiet days and holidays, in the campaign’s local dates', () => {
    const from = new Date('2026-12-22T12:00:00Z');
    expect(local(nextAllowedRun(paris, from), 'Europe/Paris')).toBe('Thu 24/12 10:00');
    const holidays = [{ from: '2026-12-24', to: '2027-01-02' }];
    expect(local(nextAllowedRun({ ...paris, holidays }, from), 'Europe/Paris')).toBe('Tue 05/01 10:00');
    expect(local(nextAllowedRun({ ...paris, quietDays: [4] }, from), 'Europe/Paris')).toBe('Tue 29/12 10:00');
  });

  it('reads the local date, not UTC’s: 00:30 in Auckland is still the day before in UTC', () => {
    const at = new Date('2026-12-24T11:30:00Z');
    expect(localDay(at, 'Pacific/Auckland')).toEqual({ date: '2026-12-25', weekday: 5 });
    expect(isQuiet({ holidays: [{ from: '2026-12-25', to: '2026-12-25' }] }, 'Pacific/Auckland', at)).toBe(
      true,
    );
    expect(isQuiet({ holidays: [{ from: '2026-12-25', to: '2026-12-25' }] }, 'UTC', at)).toBe(false);
  });

  it('keeps 10:00 local across the spring DST change, a holiday in between', () => {
    // Paris moves to summer time on Sunday 28 March 2027; Thursday 25 March is a holiday.
    const holidays = [{ from: '2027-03-25', to: '2027-03-25' }];
    const run = nextAllowedRun({ ...paris, holidays }, new Date('2027-03-23T12:00:00Z'));
    expect(run?.toISOString()).toBe('2027-03-30T08:00:00.000Z');
    expect(local(run, 'Europe/Paris')).toBe('Tue 30/03 10:00');
  });

  it('keeps 10:00 local across the autumn DST change, a quiet Thursday in between', () => {
    // Paris goes back to winter time on Sunday 31 October 2027.
    const run = nextAllowedRun({ ...paris, quietDays: [4] }, new Date('2027-10-26T12:00:00Z'));
    expect(run?.toISOString()).toBe('2027-11-02T09:00:00.000Z');
    expect(local(run, 'Europe/Paris')).toBe('Tue 02/11 10:00');
  });

  it('finds no run when every run of the cadence is a quiet day', () => {
    expect(nextAllowedRun({ cadence: 'weekly', tz: 'UTC', quietDays: [2] }, T0)).toBeUndefined();
  });
});

describe('the machine with quiet days and holidays', () => {
  const started = (patch: Partial<Campaign> = {}) => {
    const result = transition({ ...newCampaign(), ...patch }, { type: 'start', actor: ada }, T0);
    if (!result.ok) throw new Error(result.error);
    return result.campaign;
  };

  it('announces a deadline on the next allowed run', () => {
    // T0 is Tuesday 1 December 2026, 10:00 in Paris; Thursday 3 is a holiday.
    const c = started({ holidays: [{ from: '2026-12-03', to: '2026-12-03' }] });
    expect(openRound(c)?.closesAt).toBe('2026-12-08T09:00:00.000Z');
  });

  it('does nothing on a tick of a quiet day or one more than 2 hours late', () => {
    const c = started({ quietDays: [4] });
    const thursday = '2026-12-03T09:00:00.000Z';
    const quiet = transition(c, { type: 'tick', runAt: thursday }, new Date(thursday));
    expect(quiet).toEqual({ ok: true, campaign: c, effects: [] });
    const tuesday = '2026-12-08T09:00:00.000Z';
    const late = transition(c, { type: 'tick', runAt: tuesday }, new Date('2026-12-08T11:01:00Z'));
    expect(late).toEqual({ ok: true, campaign: c, effects: [] });
    const onTime = transition(c, { type: 'tick', runAt: tuesday }, new Date('2026-12-08T09:00:02Z'));
    expect(onTime.ok && openRound(onTime.campaign)?.id).toBe('def.purpose');
  });

  it('moves the open round’s deadline when holidays are added, and refuses a calendar with no run', () => {
    const c = started();
    const moved = transition(
      c,
      { type: 'schedule', actor: ada, holidays: [{ from: '2026-12-03', to: '2026-12-10' }] },
      T0,
    );
    expect(moved.ok && openRound(moved.campaign)?.closesAt).toBe('2026-12-15T09:00:00.000Z');
    expect(moved.ok && moved.effects.map((e) => e.type)).toEqual([
      'set-schedule',
      'schedule-reminder',
      'notice',
      'reply',
    ]);
    const none = transition(c, { type: 'schedule', actor: ada, cadence: 'weekly', quietDays: [2] }, T0);
    expect(none).toEqual({ ok: false, error: 'no-allowed-run', vars: undefined });
    const cleared = transition(
      moved.ok ? moved.campaign : c,
      { type: 'schedule', actor: ada, holidays: 'none' },
      T0,
    );
    expect(cleared.ok && cleared.campaign.holidays).toBeUndefined();
  });
});
