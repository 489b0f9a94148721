import { canonicalTimeZone, parseCadence } from '../schedule/cadence.js';
import { type Holiday, MAX_HOLIDAYS, parseHoliday, parseQuietDays } from '../schedule/calendar.js';
import {
  CAMPAIGN_FORMATS,
  type CalendarOptions,
  type CampaignFormat,
  EXPORT_FORMATS,
  type ExportFormat,
  LANGS,
  type Lang,
  type UserErrorId,
} from './types.js';

export type ParsedCommand =
  | { name: 'help' }
  | { name: 'status' }
  | ({
      name: 'start';
      lang?: Lang;
      cadence?: string;
      tz?: string;
      template?: string;
      /** The campaign's display name (`name:` option), shown on the canvas. */
      campaignName?: string;
      /** `format:workshop|drip`: rounds of related questions, or one question at a time. */
      format?: CampaignFormat;
      /** `anonymous:on`: answers compiled without names. */
      anonymous?: boolean;
    } & CalendarOptions)
  | { name: 'next' }
  | { name: 'skip' }
  | { name: 'pause' }
  | { name: 'resume' }
  | ({ name: 'schedule'; cadence?: string; tz?: string } & CalendarOptions)
  /** An admin opens the form to write (or revise) the shared version of a block. */
  | { name: 'statement'; blockId: string }
  /** A member's own opt-in to be mentioned in the nudges (`on` when not said). */
  | { name: 'remind-me'; on: boolean }
  /** A member takes back their answers and name (`forget-me`, then `forget-me confirm` to do it). */
  | { name: 'forget-me'; confirm: boolean }
  | { name: 'summary' }
  | { name: 'digest' }
  | { name: 'export'; format: ExportFormat }
  | { name: 'stop' };

export type CommandError = { error: UserErrorId; vars?: Record<string, string | number> };

export const SUBCOMMANDS = [
  'help',
  'start',
  'status',
  'next',
  'skip',
  'pause',
  'resume',
  'schedule',
  'summary',
  'digest',
  'export',
  'stop',
  'remind-me',
  'statement',
  'forget-me',
] as const;

/** The options each subcommand takes; anything else is a bad argument. */
const OPTIONS: Record<(typeof SUBCOMMANDS)[number], readonly string[]> = {
  help: [],
  start: [
    'lang',
    'cadence',
    'tz',
    'template',
    'name',
    'format',
    'quiet',
    'holiday',
    'reminder',
    'consent',
    'quorum',
    'anonymous',
  ],
  status: [],
  next: [],
  skip: [],
  pause: [],
  resume: [],
  schedule: ['cadence', 'tz', 'quiet', 'holiday', 'reminder', 'consent', 'quorum'],
  summary: [],
  digest: [],
  export: ['format'],
  stop: [],
  'remind-me': [],
  statement: ['block'],
  'forget-me': [],
};

/** Options that may be given several times (their values are joined with a space). */
const REPEATABLE = new Set(['holiday']);
/** The longest nudge lead: a week before the deadline. */
const MAX_REMINDER_HOURS = 168;

const MAX_COMMAND_LENGTH = 500;
/** A campaign name is a title on the sheet, not a paragraph. */
export const MAX_NAME_LENGTH = 80;

/** Each opening quote and the quotes that close it; Slack turns typed quotes into smart ones. */
const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”“', '‘': '’‘', '«': '»' };

/**
 * Splits on white space, keeping a quoted part together. A quote opens only at the start of a token
 * or of a value (after `key:` or `key=`), so an apostrophe inside a word (`l'atelier`) stays a letter.
 */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (i >= text.length) break;
    let token = '';
    while (i < text.length && !/\s/.test(text.charAt(i))) {
      const ch = text.charAt(i);
      const closers = QUOTES[ch];
      const mayOpen = token === '' || /^[a-z]+[:=]$/i.test(token);
      if (!closers || !mayOpen) {
        token += ch;
        i++;
        continue;
      }
      const close = findCloser(text, i + 1, closers);
      token += text.slice(i + 1, close);
      i = close + 1;
    }
    tokens.push(token);
  }
  return tokens;
}

/** Where the quote closes; a quote left open (an easy slip on a phone) runs to the end of the text. */
function findCloser(text: string, from: number, closers: string): number {
  for (let j = from; j < text.length; j++) if (closers.includes(text.charAt(j))) return j;
  return text.length;
}

const CRON_FIELD = /^[\d*/,\-?LW#A-Za-z]+$/;

/** Reads `/canevas …` text into a command, or the reason it cannot be run. */
export function parseCommand(input: string): ParsedCommand | CommandError {
  const text = input
    .trim()
    .replace(/^\/canevas\b/i, '')
    .trim();
  if (text.length > MAX_COMMAND_LENGTH)
    return { error: 'bad-argument', vars: { argument: `${text.slice(0, 40)}…` } };
  const tokens = tokenize(text);
  const first = tokens.shift();
  if (first === undefined) return { name: 'help' };
  const name = first.toLowerCase();
  if (!(SUBCOMMANDS as readonly string[]).includes(name))
    return { error: 'unknown-subcommand', vars: { subcommand: first } };
  const sub = name as (typeof SUBCOMMANDS)[number];
  const options: Record<string, string> = {};
  while (tokens.length > 0) {
    const token = tokens.shift() as string;
    const match = /^([a-z]+)[:=](.*)$/is.exec(token);
    if (!match) {
      // `export md` is the short form of `export format:md`; `remind-me off` has one word, on or off.
      if (sub === 'export' && options.format === undefined) {
        options.format = token;
        continue;
      }
      if ((sub === 'remind-me' || sub === 'forget-me') && options.switch === undefined) {
        options.switch = token;
        continue;
      }
      return { error: 'bad-argument', vars: { argument: token } };
    }
    const key = (match[1] as string).toLowerCase();
    let value = match[2] as string;
    if (!OPTIONS[sub].includes(key) || (options[key] !== undefined && !REPEATABLE.has(key)))
      return { error: 'bad-argument', vars: { argument: token } };
    // An unquoted cron pattern spreads over the next tokens: take them while they look like cron fields.
    if (key === 'cadence' && CRON_FIELD.test(value) && !parseCadence(value).ok) {
      while (
        value.split(' ').length < 5 &&
        tokens[0] !== undefined &&
        CRON_FIELD.test(tokens[0]) &&
        !tokens[0].includes(':')
      ) {
        value = `${value} ${tokens.shift()}`;
      }
    }
    options[key] = options[key] === undefined ? value : `${options[key]} ${value}`;
  }
  return build(sub, options);
}

/** `quiet:`, `holiday:` (several, or `none`) and `reminder:` as the campaign stores them. */
function calendarOptions(o: Record<string, string>): CalendarOptions | CommandError {
  const options: CalendarOptions = {};
  if (o.quiet !== undefined) {
    const days = parseQuietDays(o.quiet);
    if (!days) return { error: 'invalid-quiet-days', vars: { value: o.quiet } };
    options.quietDays = days;
  }
  if (o.holiday !== undefined) {
    const spans = o.holiday.split(/[\s,]+/).filter((v) => v !== '');
    if (spans.length === 1 && spans[0]?.toLowerCase() === 'none') options.holidays = 'none';
    else {
      const holidays: Holiday[] = [];
      for (const span of spans) {
        const holiday = parseHoliday(span);
        if (!holiday) return { error: 'invalid-holiday', vars: { value: span } };
        holidays.push(holiday);
      }
      if (holidays.length > MAX_HOLIDAYS) return { error: 'invalid-holiday', vars: { value: o.holiday } };
      options.holidays = holidays;
    }
  }
  if (o.reminder !== undefined) {
    const value = o.reminder.trim().toLowerCase();
    const hours = /^(\d{1,3})\s*h?$/.exec(value);
    if (value === 'off') options.reminderHours = 0;
    else if (hours && Number(hours[1]) >= 1 && Number(hours[1]) <= MAX_REMINDER_HOURS)
      options.reminderHours = Number(hours[1]);
    else return { error: 'invalid-reminder', vars: { value: o.reminder } };
  }
  if (o.consent !== undefined) {
    const span = /^(\d{1,3})\s*([dhj])$/i.exec(o.consent.trim());
    const hours = span ? Number(span[1]) * (span[2]?.toLowerCase() === 'h' ? 1 : 24) : 0;
    if (hours < 1 || hours > MAX_CONSENT_HOURS)
      return { error: 'bad-argument', vars: { argument: `consent:${o.consent}` } };
    options.consentHours = hours;
  }
  if (o.quorum !== undefined) {
    const quorum = /^\d{1,3}$/.test(o.quorum.trim()) ? Number(o.quorum) : 0;
    if (quorum < 1 || quorum > MAX_QUORUM)
      return { error: 'bad-argument', vars: { argument: `quorum:${o.quorum}` } };
    options.quorum = quorum;
  }
  return options;
}

/** How `anonymous:` is said: typed on Slack, or Discord's true/false. */
const SWITCH_WORDS: Record<string, boolean> = {
  on: true,
  off: false,
  true: true,
  false: false,
  yes: true,
  no: false,
  oui: true,
  non: false,
};

/** A consent round lasts a few hours to a month; a quorum is a handful of people, not a crowd. */
const MAX_CONSENT_HOURS = 31 * 24;
const MAX_QUORUM = 100;

function build(sub: (typeof SUBCOMMANDS)[number], o: Record<string, string>): ParsedCommand | CommandError {
  const lang = o.lang?.toLowerCase();
  if (lang !== undefined && !(LANGS as readonly string[]).includes(lang)) {
    return { error: 'invalid-language', vars: { value: o.lang as string } };
  }
  const tz = o.tz === undefined ? undefined : canonicalTimeZone(o.tz);
  if (o.tz !== undefined && tz === undefined) return { error: 'invalid-timezone', vars: { value: o.tz } };
  let cadence: string | undefined;
  if (o.cadence !== undefined) {
    const parsed = parseCadence(o.cadence);
    if (!parsed.ok) return { error: 'invalid-cadence', vars: { value: o.cadence } };
    cadence = parsed.cadence;
  }
  if (o.template !== undefined && o.template.trim() === '')
    return { error: 'bad-argument', vars: { argument: 'template' } };
  const campaignName = o.name?.trim();
  if (campaignName !== undefined && (campaignName === '' || [...campaignName].length > MAX_NAME_LENGTH))
    return { error: 'bad-argument', vars: { argument: 'name' } };
  const calendar = calendarOptions(o);
  if ('error' in calendar) return calendar;
  switch (sub) {
    case 'start': {
      const format = o.format?.toLowerCase();
      if (format !== undefined && !(CAMPAIGN_FORMATS as readonly string[]).includes(format))
        return { error: 'bad-argument', vars: { argument: `format:${o.format}` } };
      const anonymous =
        o.anonymous === undefined ? undefined : SWITCH_WORDS[o.anonymous.trim().toLowerCase()];
      if (o.anonymous !== undefined && anonymous === undefined)
        return { error: 'bad-argument', vars: { argument: `anonymous:${o.anonymous}` } };
      return {
        name: 'start',
        lang: lang as Lang | undefined,
        cadence,
        tz,
        template: o.template,
        campaignName,
        ...(format === undefined ? {} : { format: format as CampaignFormat }),
        ...(anonymous ? { anonymous } : {}),
        ...(calendar.holidays === 'none' ? { ...calendar, holidays: undefined } : calendar),
      };
    }
    case 'schedule':
      if (cadence === undefined && tz === undefined && Object.keys(calendar).length === 0)
        return { error: 'bad-argument', vars: { argument: 'cadence' } };
      return { name: 'schedule', ...(cadence === undefined ? {} : { cadence }), tz, ...calendar };
    case 'statement':
      if (!o.block?.trim()) return { error: 'bad-argument', vars: { argument: 'block' } };
      return { name: 'statement', blockId: o.block.trim() };
    case 'remind-me': {
      const word = (o.switch ?? 'on').toLowerCase();
      if (word !== 'on' && word !== 'off')
        return { error: 'bad-argument', vars: { argument: o.switch ?? '' } };
      return { name: 'remind-me', on: word === 'on' };
    }
    case 'forget-me': {
      const word = o.switch?.toLowerCase();
      if (word !== undefined && word !== 'confirm')
        return { error: 'bad-argument', vars: { argument: o.switch ?? '' } };
      return { name: 'forget-me', confirm: word === 'confirm' };
    }
    case 'export': {
      if (o.format === undefined) return { error: 'bad-argument', vars: { argument: 'format' } };
      const format = o.format.toLowerCase();
      if (!(EXPORT_FORMATS as readonly string[]).includes(format))
        return { error: 'invalid-format', vars: { value: o.format } };
      return { name: 'export', format: format as ExportFormat };
    }
    default:
      return { name: sub };
  }
}
