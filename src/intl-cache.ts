/**
 * Intl formatters, built once per (locale, time zone, options) and kept for the process.
 *
 * Building an `Intl.DateTimeFormat` costs ICU a locale and a zone lookup (tens of microseconds);
 * formatting with one already built costs about a microsecond. A Markdown export of 10,000 answers
 * formats 10,000 dates: building a formatter for each was most of its time.
 *
 * The keys are bounded: a few locales, the styles below, and the zones that exist (a zone Intl
 * refuses throws on construction, as before, and is not kept).
 */

/** Every date shape Canevas writes, by name, so a cache key is a short string and not a JSON of options. */
const DATE_STYLES = {
  /** "mardi 8 décembre 2026 à 10:00" */
  dateTime: {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  },
  /** "8 décembre 2026" */
  day: { day: 'numeric', month: 'long', year: 'numeric' },
  /** Parts of "jeudi 10 décembre, 10 h" */
  deadline: {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  },
  /** "jeudi" */
  weekday: { weekday: 'long' },
  /** The canvas page: "8 déc. 2026, 10:00" */
  medium: { dateStyle: 'medium', timeStyle: 'short' },
  /** "2026-12-08" in `en-CA`: what `toLocaleDateString` gives with no options. */
  isoDay: { year: 'numeric', month: 'numeric', day: 'numeric' },
  /** Parts of a local calendar day and its weekday (schedules). */
  localDay: { year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' },
  /** Only checks that a zone exists. */
  zone: {},
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

export type DateStyle = keyof typeof DATE_STYLES;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const listFormats = new Map<string, Intl.ListFormat>();
const percentFormats = new Map<string, Intl.NumberFormat>();

/** The formatter of `style` in `locale` and `timeZone`; throws a RangeError for a zone Intl does not know. */
export function dateFormat(locale: string, timeZone: string, style: DateStyle): Intl.DateTimeFormat {
  return kept(
    dateFormats,
    `${style}|${locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { ...DATE_STYLES[style], timeZone }),
  );
}

/** "a, b et c": the long conjunction of `locale`. */
export function conjunctionFormat(locale: string): Intl.ListFormat {
  return kept(listFormats, locale, () => new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }));
}

/** "30 %": a whole percentage in `locale`. */
export function percentFormat(locale: string): Intl.NumberFormat {
  return kept(
    percentFormats,
    locale,
    () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }),
  );
}

function kept<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}
