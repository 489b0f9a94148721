import { describe, expect, it } from 'vitest';
import { reminderTime } from '../../src/facilitation/rounds.js';
import {
  CADENCE_PRESETS,
  canonicalTimeZone,
  cronOf,
  DEFAULT_CADENCE,
  DEFAULT_DIGEST_CRON,
  describeCadence,
  isValidTimeZone,
  nextRun,
  parseCadence,
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

  it('has the documented presets and defaults', () => {
    expect(CADENCE_PRESETS).toEqual({
      daily: '0 10 * * *',
      weekdays: '0 10 * * 1-5',
      'twice-weekly': '0 10 * * 2,4',
      weekly: '0 10 * * 2',
    });
    expect(DEFAULT_CADENCE).toBe('twice-weekly');
    expect(DEFAULT_DIGEST_CRON).toBe('0 9 * * 1');
    expect(cronOf('0 9 * * 1')).toBe('0 9 * * 1');
  });

  it.each([
    '61 25 * * *',
    '0 10 * * * *',
    '0 0 10 * * * 2027',
    '* * *',
    'hourly',
    '',
    '   ',
    '0 10 * * 8',
    '0 24 * * *',
    '0 10 32 * *',
    '0 10 * 13 *',
    '0 10 30 2 *',
    'a b c d e',
    '@daily',
    `0 10 * * ${'1,'.repeat(60)}2`,
  ])('refuses %j', (input) => {
    expect(parseCadence(input)).toEqual({ ok: false });
  });

  it('describes cadences in both languages', () => {
    expect(describeCadence('twice-weekly', 'fr')).toContain('mardi et le jeudi');
    expect(describeCadence('twice-weekly', 'en')).toContain('Tuesday and Thursday');
    expect(describeCadence('0 9 * * 1', 'en')).toBe('on the cron pattern `0 9 * * 1`');
    expect(describeCadence('0 9 * * 1', 'fr')).toBe('selon le motif cron `0 9 * * 1`');
    expect(describeCadence('0 10 * * 2,4', 'fr')).toBe(describeCadence('twice-weekly', 'fr'));
    expect(describeCadence('weekdays', 'en')).toBe('Monday to Friday at 10:00');
  });
});

describe('time zones', () => {
  it('knows IANA names and refuses others', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('America/Montreal')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('+02:00')).toBe(false);
    expect(isValidTimeZone('-05:00')).toBe(false);
    expect(isValidTimeZone('Europe/Paris; rm -rf')).toBe(false);
  });

  it('spells zones the usual way but keeps the alias a user chose', () => {
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone(' UTC ')).toBe('UTC');
    expect(canonicalTimeZone('America/Montreal')).toBe('America/Montreal');
    expect(canonicalTimeZone('Mars/Olympus')).toBeUndefined();
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
    // Monday 30 November to Monday 7 December: Tuesday and Thursday at 10:00 Paris (09:00Z in winter).
    expect(missed.map((d) => d.toISOString())).toEqual([
      '2026-12-01T09:00:00.000Z',
      '2026-12-03T09:00:00.000Z',
    ]);
  });

  it('counts runs in (from, to]: a run at `from` is not missed, a run at `to` is', () => {
    const from = new Date('2026-12-01T09:00:00Z');
    const to = new Date('2026-12-03T09:00:00Z');
    expect(runsBetween('twice-weekly', 'Europe/Paris', from, to).map((d) => d.toISOString())).toEqual([
      '2026-12-03T09:00:00.000Z',
    ]);
    expect(runsBetween('daily', 'UTC', to, from)).toEqual([]);
    expect(
      runsBetween('daily', 'UTC', new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'), 5),
    ).toHaveLength(5);
  });

  it('runs a raw cron pattern in the zone too', () => {
    const after = new Date('2026-12-01T00:00:00Z');
    expect(nextRun('30 8 * * 1-5', 'UTC', after).toISOString()).toBe('2026-12-01T08:30:00.000Z');
    expect(nextRun('30 8 * * 1-5', 'Asia/Tokyo', after).toISOString()).toBe('2026-12-01T23:30:00.000Z');
  });
});

describe('reminders', () => {
  const opened = '2026-12-01T09:00:00.000Z';
  it('nudges the hours asked before a long round, half-way through a short one', () => {
    expect(reminderTime(opened, '2026-12-02T09:00:00Z', 24).toISOString()).toBe('2026-12-01T21:00:00.000Z');
    expect(reminderTime(opened, '2026-12-03T09:00:00Z', 24).toISOString()).toBe('2026-12-02T09:00:00.000Z');
    expect(reminderTime(opened, '2026-12-08T09:00:00Z', 24).toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(reminderTime(opened, '2026-12-08T09:00:00Z', 12).toISOString()).toBe('2026-12-07T21:00:00.000Z');
  });

  it('nudges at once when the round is empty or reversed', () => {
    expect(reminderTime(opened, opened, 24).toISOString()).toBe(opened);
    expect(reminderTime(opened, '2026-11-30T09:00:00Z', 24).toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });
});
