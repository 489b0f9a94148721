import type { Lang } from '../facilitation/types.js';
import { dateFormat, percentFormat } from '../intl-cache.js';
import { escapeMarkup } from '../render/sheet/svg-markup.js';

/** The page's one escaping helper: every member text, title and attribute value goes through it. */
export const html = escapeMarkup;

/** Dates and numbers as the campaign's people read them, in the campaign's time zone. */
export interface PageFormat {
  lang: Lang;
  date(iso: string): string;
  percent(ratio: number): string;
}

export function pageFormat(lang: Lang, timeZone: string): PageFormat {
  const dates = dateFormatter(lang, timeZone);
  const percents = percentFormat(lang);
  return {
    lang,
    date: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dates.format(date);
    },
    percent: (ratio) => percents.format(ratio),
  };
}

function dateFormatter(lang: Lang, timeZone: string): Intl.DateTimeFormat {
  try {
    return dateFormat(lang, timeZone, 'medium');
  } catch {
    // A zone the runtime's ICU does not know must not take the whole page down.
    return dateFormat(lang, 'UTC', 'medium');
  }
}

/** A `<time>` element: machine-readable instant, human-readable text. */
export function timeTag(iso: string, format: PageFormat): string {
  return `<time datetime="${html(iso)}">${html(format.date(iso))}</time>`;
}

/**
 * A labelled `<progress>` with the same figures in visible text, so the bar is never the only
 * carrier of the number (screen readers announce the label and value; sighted people read the text).
 */
export function progressBar(id: string, label: string, value: number, max: number, text: string): string {
  return `<div class="progress"><label for="${html(id)}">${html(label)} <span class="progress-text">${html(
    text,
  )}</span></label><progress id="${html(id)}" max="${Math.max(max, 1)}" value="${value}">${html(
    text,
  )}</progress></div>`;
}

/** The anchor of a block in its fiche, shared by the synthesis and Ostrom links. */
export function blockAnchor(blockId: string): string {
  return `block-${blockId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** A warning sign for the eye plus the words themselves, so a gap never rests on colour alone. */
export function gapText(text: string): string {
  return `<span aria-hidden="true">⚠ </span>${html(text)}`;
}
