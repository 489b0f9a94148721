import type { TextFormat } from '../../src/index.js';
// Straight from its module: a value import through the index would load the whole core with it.
import { escapeMarkdown, escapeOutsideUrls, markdownFormat } from '../../src/render/markdown-format.js';

const ZWSP = '\u200B';

/**
 * Makes a member's text inert on Discord: a backslash before every markdown character (`*_~|` and
 * friends, `<` `>` `[` `]` `(` `)` so `<@id>`, `<@&id>`, `<#id>`, `<t:…>` and masked links `[x](url)`
 * stay literal text), and a zero-width space after `@` so `@everyone`/`@here` never ping. Web addresses
 * are left exactly as written, so they still link (Discord reads no markup inside one). Every bot
 * message is also sent with `allowed_mentions: { parse: [] }`, a second lock on the same door.
 */
export function escapeDiscord(text: string): string {
  return escapeOutsideUrls(text, (part) => escapeMarkdown(part).replace(/@(?!\u200B)/g, `@${ZWSP}`));
}

/** Discord reads the same Markdown as the playground; only escaping and links differ. */
export const discordFormat: TextFormat = {
  ...markdownFormat,
  escape: escapeDiscord,
  // `<url>` suppresses the embed preview; `(`, `)`, `<`, `>` and spaces are encoded to keep the link whole.
  link: (url, label) => `[${label}](<${url.replace(/[()<>\s]/g, encodeURIComponent)}>)`,
  mention: (person) => (SNOWFLAKE.test(person.id) ? `<@${person.id}>` : `@${escapeDiscord(person.name)}`),
};

const SNOWFLAKE = /^\d{15,21}$/;
