import type { Lang } from '../facilitation/types.js';
import { conjunctionFormat, dateFormat } from '../intl-cache.js';

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/** "mardi 8 décembre 2026 à 10:00" / "Tuesday 8 December 2026 at 10:00", in the campaign's zone. */
export function formatDateTime(date: Date | string, lang: Lang, tz: string): string {
  return dateFormat(LOCALES[lang], tz, 'dateTime').format(new Date(date));
}

/** "8 décembre 2026" / "8 December 2026". */
export function formatDay(date: Date | string, lang: Lang, tz: string): string {
  return dayFormatter(lang, tz)(date);
}

/** `formatDay` with its formatter looked up once, for a caller that writes thousands of dates. */
export function dayFormatter(lang: Lang, tz: string): (date: Date | string) => string {
  const format = dateFormat(LOCALES[lang], tz, 'day');
  return (date) => format.format(new Date(date));
}

/** "30 %" in French (with its narrow no-break space), "30%" in English. */
export function formatPercent(ratio: number, lang: Lang): string {
  const value = Math.round(ratio * 100);
  return lang === 'fr' ? `${value}\u202F%` : `${value}%`;
}

const PLURAL_RULES: Record<Lang, Intl.PluralRules> = {
  fr: new Intl.PluralRules(LOCALES.fr),
  en: new Intl.PluralRules(LOCALES.en),
};

/**
 * The count with the form its language wants: "1 nouvelle réponse", "2 nouvelles réponses", "0 réponse"
 * (French treats 0 as singular), "0 answers". The one plural helper: prompts reach it through the
 * renderer's `{{#plural}}` lambda, the exports, the sheet and the page call it directly.
 */
export function plural(count: number, lang: Lang, one: string, other: string): string {
  return `${count} ${PLURAL_RULES[lang].select(count) === 'one' ? one : other}`;
}

/** A text bar: `▰▰▰▱▱▱▱▱▱▱` for 0.3. */
export function progressBar(ratio: number, width = 10): string {
  const clamped = Math.min(1, Math.max(0, ratio));
  const full = Math.round(clamped * width);
  return '▰'.repeat(full) + '▱'.repeat(width - full);
}

/** At most `max` characters, counted in code points (an emoji is never cut in half); an ellipsis marks a cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** One line, at most `max` characters (an ellipsis marks a cut); cut before escaping, so escapes stay whole. */
export function excerpt(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  // By code points, so an emoji is never cut in half.
  const chars = Array.from(line);
  if (chars.length <= max) return line;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function canvasUrl(publicUrl: string, campaignId: string, key: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/canvas/${encodeURIComponent(campaignId)}?key=${encodeURIComponent(key)}`;
}

/** "Ada, Ben et Chloé" / "Ada, Ben and Chloé". */
export function listOf(items: string[], lang: Lang): string {
  return conjunctionFormat(LOCALES[lang]).format(items);
}

/**
 * A deadline to follow "jusqu’au" / "until": "jeudi 10 décembre, 10 h" / "Thursday 10 December, 10:00",
 * in the campaign's zone (French writes the hour as "10 h", or "10 h 30").
 */
export function formatDeadline(date: Date | string, lang: Lang, tz: string): string {
  const parts = dateFormat(LOCALES[lang], tz, 'deadline').formatToParts(new Date(date));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const day = `${part('weekday')} ${Number(part('day'))} ${part('month')}`;
  const hour = part('hour');
  const minute = part('minute');
  if (lang === 'fr') return `${day}, ${Number(hour)}\u00a0h${minute === '00' ? '' : `\u00a0${minute}`}`;
  return `${day}, ${hour}:${minute}`;
}

/** ISO weekday (1 Monday … 7 Sunday) to its name: 2024-01-01 was a Monday. */
function weekdayName(day: number, lang: Lang): string {
  const date = new Date(Date.UTC(2024, 0, day));
  return dateFormat(LOCALES[lang], 'UTC', 'weekday').format(date);
}

/** "Saturday and Sunday" / "samedi et dimanche" from ISO weekdays. */
export function quietDaysWords(days: readonly number[], lang: Lang): string {
  return listOf(
    days.map((d) => weekdayName(d, lang)),
    lang,
  );
}

/** "24 December 2026 – 2 January 2027, 5 April 2027" from `from..to` spans (a day alone for one day). */
export function holidaysWords(spans: readonly { from: string; to: string }[], lang: Lang): string {
  const day = (iso: string) => formatDay(`${iso}T12:00:00Z`, lang, 'UTC');
  return listOf(
    spans.map((h) => (h.from === h.to ? day(h.from) : `${day(h.from)} – ${day(h.to)}`)),
    lang,
  );
}
