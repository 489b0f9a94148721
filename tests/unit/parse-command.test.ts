import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/facilitation/parse-command.js';

describe('parseCommand', () => {
  it.each([
    ['', { name: 'help' }],
    ['/canevas', { name: 'help' }],
    ['STATUS', { name: 'status' }],
    [
      '/canevas start lang:en cadence:weekly tz:America/Montreal',
      { name: 'start', lang: 'en', cadence: 'weekly', tz: 'America/Montreal', template: undefined },
    ],
    ['start template:./canvas.yaml', { name: 'start', template: './canvas.yaml' }],
    [
      'schedule cadence:"0 9 * * 1-5" tz:Europe/Paris',
      { name: 'schedule', cadence: '0 9 * * 1-5', tz: 'Europe/Paris' },
    ],
    ['schedule cadence:“0 9 * * 1-5”', { name: 'schedule', cadence: '0 9 * * 1-5' }],
    ['schedule cadence:0 9 * * 1-5 tz:UTC', { name: 'schedule', cadence: '0 9 * * 1-5', tz: 'UTC' }],
    ['schedule cadence=Daily', { name: 'schedule', cadence: 'daily' }],
    ['export md', { name: 'export', format: 'md' }],
    ['export format:CSV', { name: 'export', format: 'csv' }],
  ])('reads %j', (text, expected) => {
    expect(parseCommand(text)).toMatchObject(expected);
  });

  it.each([
    ['dance', 'unknown-subcommand', { subcommand: 'dance' }],
    ['start now', 'bad-argument', { argument: 'now' }],
    ['next lang:en', 'bad-argument', { argument: 'lang:en' }],
    ['start lang:de', 'invalid-language', { value: 'de' }],
    ['start tz:Mars/Olympus', 'invalid-timezone', { value: 'Mars/Olympus' }],
    ['schedule cadence:"61 25 * * *"', 'invalid-cadence', { value: '61 25 * * *' }],
    ['schedule tz:UTC', 'bad-argument', { argument: 'cadence' }],
    ['export', 'bad-argument', { argument: 'format' }],
    ['export pdf', 'invalid-format', { value: 'pdf' }],
    ['start lang:en lang:fr', 'bad-argument', { argument: 'lang:fr' }],
  ])('refuses %j with %s', (text, error, vars) => {
    expect(parseCommand(text)).toEqual({ error, vars });
  });

  it('refuses absurdly long input', () => {
    expect(parseCommand(`start ${'x'.repeat(600)}`)).toMatchObject({ error: 'bad-argument' });
  });
});
