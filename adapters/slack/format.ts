import type { TextFormat } from '../../src/index.js';

/**
 * Slack mrkdwn.
 *
 * Escaping scheme for a member's text (one scheme, nothing else), so that their words and links come
 * back exactly as written:
 * - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;`, the only escaping Slack asks for. That alone
 *   neutralises `<!channel>`, `<!here>`, `<@U…>`, `<#C…>`, `<!subteam^…>`, `<!date…>` and
 *   `<http://…|label>` links: they show as typed and never ping or run.
 * - `@channel`, `@here`, `@everyone` typed as plain words get a zero-width space (U+200B) after the `@`.
 * - a `>` at the start of a line gets a zero-width space before it, so it cannot start a quote of its own.
 * Markup characters (`*`, `_`, `~`, `` ` ``) stay as typed: a URL such as `…/Our_rules_v2` stays whole,
 * and the bot quotes a member's words on lines of their own, where Slack shows their markup as it shows
 * their own message. Only what is displayed changes: stored answers keep the text exactly as written.
 */
const ZWSP = '\u200B';

export function escapeSlack(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
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
