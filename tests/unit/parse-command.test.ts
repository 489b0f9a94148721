import { describe, expect, it } from 'vitest';
import { parseCommand, SUBCOMMANDS } from '../../src/facilitation/parse-command.js';

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
    ['Export PNG', { name: 'export', format: 'png' }],
    ['export format="svg"', { name: 'export', format: 'svg' }],
    ['  help  ', { name: 'help' }],
    ['next', { name: 'next' }],
    ['SKIP', { name: 'skip' }],
    ['pause', { name: 'pause' }],
    ['resume', { name: 'resume' }],
    ['summary', { name: 'summary' }],
    ['digest', { name: 'digest' }],
    ['stop', { name: 'stop' }],
    [
      "schedule cadence:'0 9 * * 1' tz:europe/paris",
      { name: 'schedule', cadence: '0 9 * * 1', tz: 'Europe/Paris' },
    ],
    ['schedule tz:UTC cadence:0 9 * * 1', { name: 'schedule', cadence: '0 9 * * 1', tz: 'UTC' }],
    ['schedule cadence:‘0 9 * * 1’', { name: 'schedule', cadence: '0 9 * * 1' }],
    ['start LANG:FR cadence:weekdays', { name: 'start', lang: 'fr', cadence: 'weekdays' }],
    ['start\ttz=UTC', { name: 'start', tz: 'UTC' }],
    ["start template:l'atelier.yaml", { name: 'start', template: "l'atelier.yaml" }],
    ['start name:"  Vélocarte 🚲 "', { name: 'start', campaignName: 'Vélocarte 🚲' }],
    ['start format:workshop', { name: 'start', format: 'workshop' }],
    ['start format:DRIP lang:en', { name: 'start', format: 'drip', lang: 'en' }],
    ['start template:"mon atelier.yaml"', { name: 'start', template: 'mon atelier.yaml' }],
    ['schedule cadence:« 0 9 * * 1 »', { name: 'schedule', cadence: '0 9 * * 1' }],
    ['schedule cadence:\u00ab\u00a00 9 * * 1\u00a0\u00bb', { name: 'schedule', cadence: '0 9 * * 1' }],
    ['"start" lang:en', { name: 'start', lang: 'en' }],
    ['schedule cadence:"0 9 * * 1', { name: 'schedule', cadence: '0 9 * * 1' }],
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
    ['schedule', 'bad-argument', { argument: 'cadence' }],
    ['export', 'bad-argument', { argument: 'format' }],
    ['export pdf', 'invalid-format', { value: 'pdf' }],
    ['start lang:en lang:fr', 'bad-argument', { argument: 'lang:fr' }],
    ['start color:blue', 'bad-argument', { argument: 'color:blue' }],
    ['start format:marathon', 'bad-argument', { argument: 'format:marathon' }],
    ['export md csv', 'bad-argument', { argument: 'csv' }],
    ['export md format:csv', 'bad-argument', { argument: 'format:csv' }],
    ['schedule daily', 'bad-argument', { argument: 'daily' }],
    ['schedule cadence:daily extra', 'bad-argument', { argument: 'extra' }],
    ['schedule cadence:"0 9 * * 1 *"', 'invalid-cadence', { value: '0 9 * * 1 *' }],
    ['schedule cadence:hourly', 'invalid-cadence', { value: 'hourly' }],
    ['schedule cadence:daily tz:+02:00', 'invalid-timezone', { value: '+02:00' }],
    ['start template:""', 'bad-argument', { argument: 'template' }],
    ['start name:"   "', 'bad-argument', { argument: 'name' }],
    [`start name:"${'é'.repeat(81)}"`, 'bad-argument', { argument: 'name' }],
    ['help me', 'bad-argument', { argument: 'me' }],
    ['“sta rt”', 'unknown-subcommand', { subcommand: 'sta rt' }],
  ])('refuses %j with %s', (text, error, vars) => {
    expect(parseCommand(text)).toEqual({ error, vars });
  });

  it('refuses absurdly long input', () => {
    expect(parseCommand(`start ${'x'.repeat(600)}`)).toMatchObject({ error: 'bad-argument' });
    expect(parseCommand(`schedule cadence:"${'1,'.repeat(300)}2 * * * *"`)).toMatchObject({
      error: 'bad-argument',
    });
  });

  it('keeps the user text raw in error values, for the renderer to escape', () => {
    expect(parseCommand('start lang:<@U123>')).toEqual({
      error: 'invalid-language',
      vars: { value: '<@U123>' },
    });
  });
});

describe('parseCommand on arbitrary text', () => {
  it('never throws and always answers a command or an error id', () => {
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const pieces = [
      'start',
      'schedule',
      'export',
      'cadence:',
      'tz=',
      'lang:',
      'format:',
      '"',
      "'",
      '“',
      '”',
      '«',
    ];
    const more = [' ', ' ', '*', '0', '9', '1-5', 'md', 'UTC', 'fr', ':', '=', 'x', '\n', '🌱', 'weekly'];
    const names = new Set<string>(SUBCOMMANDS);
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = Math.floor(rand() * 12);
      for (let i = 0; i < length; i++) {
        const from = rand() < 0.4 ? pieces : more;
        text += from[Math.floor(rand() * from.length)];
      }
      const result = parseCommand(text);
      if ('error' in result) expect(result.error, text).toMatch(/^[a-z]+(-[a-z]+)*$/);
      else expect(names.has(result.name), text).toBe(true);
    }
  });
});

describe('the people-data words', () => {
  it.each([
    ['start anonymous:on', true],
    ['start anonymous:"true"', true],
    ['start anonymous:OUI', true],
    ['start anonymous:off', false],
    ['start anonymous:false', false],
    ['start', false],
  ])('%s makes a campaign anonymous: %s', (text, anonymous) => {
    const parsed = parseCommand(text);
    expect(parsed).toMatchObject({ name: 'start' });
    expect('name' in parsed && parsed.name === 'start' && parsed.anonymous === true).toBe(anonymous);
  });

  it('refuses an anonymity it cannot read, naming it', () => {
    expect(parseCommand('start anonymous:maybe')).toEqual({
      error: 'bad-argument',
      vars: { argument: 'anonymous:maybe' },
    });
    expect(parseCommand('schedule anonymous:on')).toMatchObject({ error: 'bad-argument' });
  });

  it.each([
    ['forget-me', { name: 'forget-me', confirm: false }],
    ['FORGET-ME Confirm', { name: 'forget-me', confirm: true }],
    ['/canevas forget-me confirm', { name: 'forget-me', confirm: true }],
  ])('reads %s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('refuses any other word after forget-me, so nothing is removed by a typo', () => {
    expect(parseCommand('forget-me now')).toEqual({ error: 'bad-argument', vars: { argument: 'now' } });
    expect(parseCommand('forget-me confirm again')).toMatchObject({ error: 'bad-argument' });
  });
});
