import type { TextFormat } from '../../src/index.js';

/**
 * Slack mrkdwn.
 *
 * Escaping scheme for a member's text (one scheme, nothing else):
 * - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;` (Slack's own rule). That alone neutralises `<!channel>`,
 *   `<!here>`, `<@U…>`, `<#C…>` and `<http://…|label>` links: they show as typed and never ping.
 * - `@channel`, `@here`, `@everyone` typed as plain words get a zero-width space (U+200B) after the `@`.
 * - mrkdwn markup characters are swapped for their fullwidth lookalikes, so a quoted answer never
 *   opens bold, italic, strike or code that runs into the bot's own text: `*` → `＊` (U+FF0A),
 *   `_` → `＿` (U+FF3F), `~` → `～` (U+FF5E), `` ` `` → `｀` (U+FF40).
 * - a `>` at the start of a line (a block quote once escaped to `&gt;`) gets a zero-width space
 *   before it, so it cannot start a quote of its own.
 * Only what is displayed changes: stored answers keep the text exactly as written.
 */
const ZWSP = '\u200B';

const LOOKALIKE: Record<string, string> = { '*': '\uFF0A', _: '\uFF3F', '~': '\uFF5E', '`': '\uFF40' };

export function escapeSlack(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, (c) => LOOKALIKE[c] ?? c)
    .replace(/@(?=(channel|here|everyone)\b)/gi, `@${ZWSP}`)
    .replace(/^(\s*)&gt;/gm, `$1${ZWSP}&gt;`);
}

export const slackFormat: TextFormat = {
  escape: escapeSlack,
  bold: (text) => (text === '' ? '' : `*${text}*`),
  italic: (text) => (text === '' ? '' : `_${text}_`),
  quote: (text) =>
    text
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n'),
  link: (url, label) => `<${url.replace(/[<>|\s]/g, encodeURIComponent)}|${label.replace(/[<>|]/g, '')}>`,
  mention: (person) => (SLACK_USER_ID.test(person.id) ? `<@${person.id}>` : `@${escapeSlack(person.name)}`),
};

/** Slack user ids: U… or W… (Enterprise Grid), upper-case letters and digits. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;
