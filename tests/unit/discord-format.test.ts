import { describe, expect, it } from 'vitest';
import { discordFormat, escapeDiscord } from '../../adapters/discord/format.js';
import { discordInviteUrl } from '../../adapters/discord/invite.js';
import { nonceOf } from '../../adapters/discord/outbound.js';
import { splitText } from '../../adapters/discord/split.js';

const ZWSP = '\u200B';

describe('discordFormat', () => {
  it('neutralises mentions, @everyone/@here, channel and role references and masked links', () => {
    const out = escapeDiscord('@everyone @here <@123> <@!123> <@&456> <#789> [click](https://evil.example)');
    expect(out).not.toMatch(/@everyone|@here/);
    expect(out).toContain(`@${ZWSP}everyone`);
    expect(out).toContain(`@${ZWSP}here`);
    expect(out).not.toMatch(/(?<!\\)<[@#]/);
    expect(out).not.toMatch(/(?<!\\)\[click(?<!\\)\]/);
    expect(out).toContain('\\[click\\]\\(https://evil.example\\)');
  });

  it('escapes markdown so it shows literally', () => {
    expect(escapeDiscord('**bold** _it_ ~~s~~ ||spoiler|| `code`')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\`code\\`',
    );
    expect(escapeDiscord('# title\n> quote\n- item')).not.toMatch(/^(#|>|-) /m);
  });

  it('leaves web addresses exactly as written, escaping around them', () => {
    expect(escapeDiscord('See https://wiki.example.org/Our_rules_v2 and *that*.')).toBe(
      'See https://wiki.example.org/Our_rules_v2 and \\*that\\*.',
    );
    // The sentence's own punctuation, and a parenthesis the address does not open, are not the address's.
    expect(escapeDiscord('(read https://x.example/a_b), or https://en.example.org/wiki/Foo_(bar)!')).toBe(
      '\\(read https://x.example/a_b\\), or https://en.example.org/wiki/Foo_(bar)\\!',
    );
    expect(escapeDiscord('`npm i` 🎉 https://x.example/?q=a*b&c=~d|e')).toBe(
      '\\`npm i\\` 🎉 https://x.example/?q=a*b&c=~d|e',
    );
    // An address cannot carry a mention out with it: it ends at `<`, and `@` outside it is defused.
    expect(escapeDiscord('https://x.example/<@123> @everyone')).toBe(
      `https://x.example/\\<@${ZWSP}123\\> @${ZWSP}everyone`,
    );
  });

  it('writes bold, italic, quotes and links in Discord markdown', () => {
    expect(discordFormat.bold('x')).toBe('**x**');
    expect(discordFormat.italic('x')).toBe('_x_');
    expect(discordFormat.quote('a\n\nb')).toBe('> a\n>\n> b');
    expect(discordFormat.link('https://example.org/canvas/1?key=a b', 'the canvas')).toBe(
      '[the canvas](<https://example.org/canvas/1?key=a%20b>)',
    );
  });
});

describe('Discord limits and ids', () => {
  it('splits long text within 2,000 characters without losing any', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} ${'word '.repeat(5)}`).join('\n');
    const pieces = splitText(text, 2000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(2000);
    expect(pieces.join('\n')).toBe(text);
    expect(splitText('😀'.repeat(1500), 2000).every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });

  it('makes nonces of at most 25 characters, stable per key', () => {
    expect(nonceOf('outbox-campaign-1-question-3').length).toBeLessThanOrEqual(25);
    expect(nonceOf('a')).toBe(nonceOf('a'));
    expect(nonceOf('a')).not.toBe(nonceOf('b'));
  });

  it('builds the invite link with exactly the permissions the bot needs', () => {
    const url = new URL(discordInviteUrl('123'));
    expect(url.searchParams.get('client_id')).toBe('123');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    // A guild install: the command only works in servers.
    expect(url.searchParams.get('integration_type')).toBe('0');
    // View Channel, Send Messages, Send Messages in Threads, Create Public Threads, Embed Links,
    // Attach Files, Read Message History.
    const expected =
      (1n << 10n) | (1n << 11n) | (1n << 38n) | (1n << 35n) | (1n << 14n) | (1n << 15n) | (1n << 16n);
    expect(url.searchParams.get('permissions')).toBe(expected.toString());
  });
});
