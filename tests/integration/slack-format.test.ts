import { describe, expect, it } from 'vitest';
import {
  BLOCK_LIMIT,
  CHARS_PER_MESSAGE,
  layoutPost,
  SECTION_LIMIT,
  splitText,
} from '../../adapters/slack/blocks.js';
import { escapeSlack, slackFormat } from '../../adapters/slack/format.js';
import type { OutboundPost } from '../../src/index.js';

// A unit test of the Slack text format (kept with the Slack tests so the adapter's files stay together).
describe('slackFormat', () => {
  it('neutralises Slack mentions and links with entities', () => {
    expect(escapeSlack('<!channel> <!here> <@U1> <#C1> <http://evil.example|click>')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U1&gt; &lt;#C1&gt; &lt;http://evil.example|click&gt;',
    );
    expect(escapeSlack('a & b')).toBe('a &amp; b');
  });

  it('defuses plain-word broadcast mentions', () => {
    expect(escapeSlack('hi @channel @here @everyone @ada')).toBe(
      'hi @\u200Bchannel @\u200Bhere @\u200Beveryone @ada',
    );
  });

  it('keeps words, markup characters, code, emoji and links exactly as written, and defuses a leading quote', () => {
    for (const text of [
      'https://wiki.example.org/Our_rules_v2',
      '*bold* _it_ ~s~ `c` ```block``` 🎉 Zoé',
      'https://x.example/?q=a*b&c=~d|e',
    ])
      expect(escapeSlack(text)).toBe(text.replace(/&/g, '&amp;'));
    expect(escapeSlack('> quoted\nnot > this')).toBe('\u200B&gt; quoted\nnot &gt; this');
  });

  it('writes mrkdwn markup', () => {
    expect(slackFormat.bold('x')).toBe('*x*');
    expect(slackFormat.italic('x')).toBe('_x_');
    expect(slackFormat.quote('a\nb')).toBe('> a\n> b');
    expect(slackFormat.link('https://x.example/a b', 'label')).toBe('<https://x.example/a%20b|label>');
    expect(slackFormat.bold('')).toBe('');
  });
});

describe('layoutPost', () => {
  const post = (text: string, extra: Partial<OutboundPost> = {}): OutboundPost => ({
    kind: 'summary',
    text,
    dedupeKey: 'k',
    ...extra,
  });

  it('splits long text into sections and messages within Slack limits', () => {
    const line = `${'x'.repeat(99)}\n`;
    const messages = layoutPost(post(line.repeat(30 * 50)));
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(BLOCK_LIMIT);
      const chars = m.blocks.map((b) => JSON.stringify(b).length);
      for (const c of chars) expect(c).toBeLessThan(SECTION_LIMIT + 100);
      expect(chars.reduce((a, b) => a + b, 0)).toBeLessThan(CHARS_PER_MESSAGE + 500);
    }
    expect(messages.flatMap((m) => m.blocks).length).toBe(50);
    const many = layoutPost(post('short'));
    expect(many).toHaveLength(1);
  });

  it('adds the Answer button to a question, in the campaign’s language', () => {
    for (const [lang, label] of [
      ['fr', '✍️ Répondre'],
      ['en', '✍️ Answer'],
    ] as const) {
      const [message] = layoutPost(
        post('Q?', {
          kind: 'question',
          question: {
            blockId: 'b1',
            ficheTitle: 'F',
            blockTitle: 'B',
            question: 'Q?',
            example: 'E',
            hints: [],
            position: 1,
            total: 2,
            lang,
          },
        }),
      );
      const blocks = JSON.stringify(message?.blocks);
      expect(blocks).toContain('"action_id":"canevas_answer"');
      expect(blocks).toContain(`"text":"${label}"`);
      expect(blocks).toContain(`"value":"${lang}"`);
    }
  });

  it('splits at line breaks', () => {
    expect(splitText('a\nb', 2)).toEqual(['a', 'b']);
    expect(splitText('')).toEqual(['']);
  });
});
