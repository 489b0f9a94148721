import type { TextFormat } from '../platform.js';

/**
 * The Markdown the playground page and the Markdown export speak.
 *
 * Escaping scheme (one scheme, nothing else): a backslash before ASCII punctuation that Markdown or
 * Slack-style markup would act on. `\*` shows `*`, `\<` shows `<`, `\\` shows `\`. No HTML entities.
 * The playground parser (adapters/playground/page.js) shows `\X` as `X` for any ASCII punctuation X.
 *
 * Mentions: `@name`, `@everyone`, `@here`, `@channel` get a zero-width space (U+200B) after the `@`,
 * so nothing pings and the text still reads the same. Slack's `<!channel>`, `<@U1>`, `<#C1>` and
 * `<http://x|label>` lose their power because `<` and `>` are escaped.
 *
 * Only what is displayed changes: stored answers keep the text exactly as written.
 */

const ZWSP = '\u200B';

/** Punctuation that means something to Markdown (CommonMark, GFM) or to chat markup, anywhere in a line. */
const INLINE_SPECIAL = /[\\`*_~[\]()<>#|!]/g;

/** Characters that only start a list or a heading at the start of a line (after optional spaces). */
const LINE_START_SPECIAL = /^(\s*)([-+=]|\d+[.)])/gm;

/** `1.` becomes `1\.`, `- ` becomes `\-`: no list or heading starts from a member's line. */
function escapeLineStart(_m: string, space: string, marker: string): string {
  return /^\d/.test(marker) ? `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}` : `${space}\\${marker}`;
}

export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_SPECIAL, (c) => `\\${c}`)
    .replace(LINE_START_SPECIAL, escapeLineStart)
    .replace(/@(?=[\p{L}\p{N}_])/gu, `@${ZWSP}`);
}

/** A web address as chat apps link it: from its scheme to the next space or angle bracket. */
const URL_START = /\bhttps?:\/\/[^\s<>]+/g;

/**
 * A linked address ends before the punctuation that closes a sentence, and before a `)` or `]` it does
 * not open itself (`(see https://x.example/a)` links `…/a`; `…/Foo_(bar)` keeps its own).
 */
function trimUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1] ?? '';
    const head = url.slice(0, end);
    const unbalanced =
      (last === ')' && head.split('(').length <= head.split(')').length - 1) ||
      (last === ']' && head.split('[').length <= head.split(']').length - 1);
    if (!(/[.,:;!?"'*_~|]/.test(last) || unbalanced) || end <= 8) return url.slice(0, end);
    end -= 1;
  }
}

/**
 * Escapes a member's text around the web addresses in it, which are kept exactly as written: a
 * backslash inside an address would break the link people click.
 */
export function escapeOutsideUrls(text: string, escapePart: (part: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_START)) {
    const url = trimUrl(match[0]);
    out += escapePart(text.slice(last, match.index)) + url;
    last = match.index + url.length;
  }
  return out + escapePart(text.slice(last));
}

const DOCUMENT_SPECIAL = /[\\`*[\]<>]/g;
const LONE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
const HEADING_MARK = /^(\s*)#/gm;
const CALL_TO_ALL = /@(?=(everyone|here|channel)\b)/gi;

/**
 * Lighter escaping for a Markdown file people read in diffs (GOVERNANCE-CANVAS.md): only what CommonMark
 * would act on. Parentheses and `!` stay as typed (brackets are escaped, so no link can form), an
 * underscore inside a word (`Ben_42`) stays too, and nothing is done about mentions (a file pings no one).
 * An export runs it on every answer: a pass whose character is absent is skipped.
 */
export function escapeDocument(text: string): string {
  let out = text.replace(DOCUMENT_SPECIAL, '\\$&');
  if (out.includes('_')) out = out.replace(LONE_UNDERSCORE, '\\_');
  if (out.includes('#')) out = out.replace(HEADING_MARK, '$1\\#');
  // The file is posted to the channel too: these would still read as a call to everyone.
  if (out.includes('@')) out = out.replace(CALL_TO_ALL, `@${ZWSP}`);
  return out.replace(LINE_START_SPECIAL, escapeLineStart);
}

const quoteLine = (line: string) => (line === '' ? '>' : `> ${line}`);

export const markdownFormat: TextFormat = {
  escape: escapeMarkdown,
  bold: (text) => (text === '' ? '' : `**${text}**`),
  italic: (text) => (text === '' ? '' : `_${text}_`),
  // Most quoted texts are one line: no array to build for them.
  quote: (text) => (text.includes('\n') ? text.split('\n').map(quoteLine).join('\n') : quoteLine(text)),
  link: (url, label) => `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})`,
  // The playground has no notifications: a mention is the name, as its page shows people.
  mention: (person) => `@${escapeMarkdown(person.name)}`,
};
