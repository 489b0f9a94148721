import { describe, expect, it } from 'vitest';
import {
  CADENCE_PRESETS,
  cronOf,
  describeCadence,
  isValidTimeZone,
  nextRun,
  parseCadence,
  reminderAt,
  runsBetween,
} from '../../src/schedule/cadence.js';

describe('cadences', () => {
  it('knows the presets, in any case', () => {
    expect(parseCadence('Twice-Weekly')).toEqual({ ok: true, cadence: 'twice-weekly', cron: '0 10 * * 2,4' });
    expect(parseCadence('daily')).toMatchObject({ ok: true, cron: CADENCE_PRESETS.daily });
    expect(cronOf('weekdays')).toBe('0 10 * * 1-5');
  });

  it('accepts 5-field cron patterns and normalises spaces', () => {
    expect(parseCadence(' 0  9 * * 1-5 ')).toEqual({ ok: true, cadence: '0 9 * * 1-5', cron: '0 9 * * 1-5' });
  });

  it.each(['61 25 * * *', '0 10 * * * *', '* * *', 'hourly', '', '0 10 * * 8', 'a b c d e'])(
    'refuses %j',
    (input) => {
      expect(parseCadence(input)).toEqual({ ok: false });
    },
  );

  it('describes cadences in both languages', () => {
    expect(describeCadence('twice-weekly', 'fr')).toContain('mardi et le jeudi');
    expect(describeCadence('twice-weekly', 'en')).toContain('Tuesday and Thursday');
    expect(describeCadence('0 9 * * 1', 'en')).toContain('0 9 * * 1');
  });
});

describe('time zones', () => {
  it('knows IANA names and refuses others', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('America/Montreal')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('runs the same cadence at local 10:00 in each zone', () => {
    const after = new Date('2026-11-30T00:00:00Z');
    expect(nextRun('daily', 'Europe/Paris', after).toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(nextRun('daily', 'America/Montreal', after).toISOString()).toBe('2026-11-30T15:00:00.000Z');
  });

  it('stays at 10:00 local across the spring and autumn DST changes', () => {
    const spring = runsBetween(
      'daily',
      'Europe/Paris',
      new Date('2026-03-28T00:00:00Z'),
      new Date('2026-03-30T23:00:00Z'),
    );
    expect(spring.map((d) => d.toISOString())).toEqual([
      '2026-03-28T09:00:00.000Z',
      '2026-03-29T08:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
    ]);
    const autumn = runsBetween(
      'daily',
      'Europe/Paris',
      new Date('2026-10-24T00:00:00Z'),
      new Date('2026-10-26T23:00:00Z'),
    );
    expect(autumn.map((d) => d.toISOString())).toEqual([
      '2026-10-24T08:00:00.000Z',
      '2026-10-25T09:00:00.000Z',
      '2026-10-26T09:00:00.000Z',
    ]);
  });

  it('counts the runs missed during a week of downtime', () => {
    const missed = runsBetween(
      'twice-weekly',
      'Europe/Paris',
      new Date('2026-11-30T00:00:00Z'),
      new Date('2026-12-07T00:00:00Z'),
    );
    expect(missed).toHaveLength(2);
  });
});

describe('reminders', () => {
  it('nudges half-way through a short window and 24 h before a long one', () => {
    const opened = new Date('2026-12-01T09:00:00Z');
    expect(reminderAt(opened, new Date('2026-12-02T09:00:00Z')).toISOString()).toBe(
      '2026-12-01T21:00:00.000Z',
    );
    expect(reminderAt(opened, new Date('2026-12-03T09:00:00Z')).toISOString()).toBe(
      '2026-12-02T09:00:00.000Z',
    );
    expect(reminderAt(opened, new Date('2026-12-08T09:00:00Z')).toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
  });
});
