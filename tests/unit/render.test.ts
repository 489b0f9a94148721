import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../src/facilitation/types.js';
import type { TextFormat } from '../../src/platform.js';
import { answerFormWords } from '../../src/render/answer-form-words.js';
import { escapeMarkdown, markdownFormat } from '../../src/render/markdown-format.js';
import { ALL_PROMPT_KEYS } from '../../src/render/message-keys.js';
import { createRenderer, MissingVariableError } from '../../src/render/renderer.js';
import { assertViewSupplies } from '../../src/render/strict-view.js';
import { excerpt, formatPercent, progressBar } from '../../src/render/view-helpers.js';
import { INJECTION } from '../fixtures/sample-campaign.js';

const ZWSP = '\u200B';

/** A prompts directory where every key is a tiny template, and `question` is the one under test. */
function promptsWith(question: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'canevas-prompts-'));
  for (const lang of LANGS) {
    mkdirSync(join(dir, lang));
    for (const key of ALL_PROMPT_KEYS) writeFileSync(join(dir, lang, `${key}.mustache`), key);
    writeFileSync(join(dir, lang, 'question.mustache'), question);
  }
  return dir;
}

const plain: TextFormat = {
  escape: (t) => t,
  bold: (t) => `<b>${t}</b>`,
  italic: (t) => `<i>${t}</i>`,
  quote: (t) => `[${t}]`,
  link: (u, l) => `${l} (${u})`,
  mention: (p) => `@${p.id}`,
};

describe('markdownFormat', () => {
  it('neutralises mentions and markup from a member', () => {
    const out = escapeMarkdown(INJECTION);
    expect(out).toBe(
      `@${ZWSP}everyone \\<\\!channel\\> \\<@${ZWSP}U123\\> \\*\\*bold\\*\\* \\[x\\]\\(http://evil\\)`,
    );
    expect(out).not.toMatch(/@(everyone|here|channel)/);
    expect(out).not.toMatch(/(^|[^\\])[<[*]/);
  });

  it('neutralises @here, @channel and names, and Slack link markup', () => {
    expect(escapeMarkdown('@here @channel @ada')).toBe(`@${ZWSP}here @${ZWSP}channel @${ZWSP}ada`);
    expect(escapeMarkdown('<http://x|label> <#C1>')).toBe('\\<http://x\\|label\\> \\<\\#C1\\>');
    expect(escapeMarkdown('mail me: a@b.org')).toBe(`mail me: a@${ZWSP}b.org`);
  });

  it('escapes line starts that would make lists or headings, not the same characters mid-line', () => {
    expect(escapeMarkdown('- item\n  + more\n1. first\nco-op 2.0')).toBe(
      '\\- item\n  \\+ more\n1\\. first\nco-op 2.0',
    );
    expect(escapeMarkdown('# title')).toBe('\\# title');
  });

  it('leaves slashes, quotes and ampersands alone', () => {
    expect(escapeMarkdown('a/b "c" & d\'e')).toBe('a/b "c" & d\'e');
  });

  it('formats bold, italic, quotes and links', () => {
    expect(markdownFormat.bold('x')).toBe('**x**');
    expect(markdownFormat.italic('x')).toBe('_x_');
    expect(markdownFormat.quote('a\n\nb')).toBe('> a\n>\n> b');
    expect(markdownFormat.link('http://h/p?k=1', 'go')).toBe('[go](http://h/p?k=1)');
  });
});

describe('renderer', () => {
  it('does not apply mustache HTML escaping: a slash stays a slash', () => {
    const renderer = createRenderer(promptsWith('{{a}}'));
    expect(renderer.render('fr', 'question', { a: 'Europe/Paris & co' }, markdownFormat)).toBe(
      'Europe/Paris & co',
    );
  });

  it('escapes variables with the platform escape and leaves triple mustaches raw', () => {
    const renderer = createRenderer(promptsWith('{{a}} | {{{a}}}'));
    expect(renderer.render('en', 'question', { a: '*x*' }, markdownFormat)).toBe('\\*x\\* | *x*');
  });

  it('renders formatting lambdas around already-escaped text', () => {
    const renderer = createRenderer(
      promptsWith('{{#b}}{{name}}{{/b}} {{#i}}{{name}}{{/i}}\n{{#quote}}{{name}}{{/quote}}'),
    );
    expect(renderer.render('en', 'question', { name: '@ada_x' }, markdownFormat)).toBe(
      `**@${ZWSP}ada\\_x** _@${ZWSP}ada\\_x_\n> @${ZWSP}ada\\_x`,
    );
    expect(renderer.render('en', 'question', { name: 'n' }, plain)).toBe('<b>n</b> <i>n</i>\n[n]');
  });

  it('escapes numbers without crashing the platform escape', () => {
    const renderer = createRenderer(promptsWith('{{n}}'));
    expect(renderer.render('fr', 'question', { n: 3 }, markdownFormat)).toBe('3');
  });

  it('throws MissingVariableError when a view lacks a variable', () => {
    const renderer = createRenderer(promptsWith('Hello {{name}}'));
    expect(() => renderer.render('fr', 'question', {}, markdownFormat)).toThrow(MissingVariableError);
    try {
      renderer.render('fr', 'question', {}, markdownFormat);
    } catch (err) {
      expect(err).toBeInstanceOf(MissingVariableError);
      expect((err as MissingVariableError).key).toBe('question');
      expect((err as MissingVariableError).variable).toBe('name');
    }
  });

  it('refuses a prompts directory that lacks a key', () => {
    const dir = promptsWith('x');
    writeFileSync(join(dir, 'en', 'help.mustache.bak'), '');
    const missing = mkdtempSync(join(tmpdir(), 'canevas-prompts-'));
    mkdirSync(join(missing, 'fr'));
    mkdirSync(join(missing, 'en'));
    expect(() => createRenderer(missing)).toThrow(/lacks intro/);
    expect(() => createRenderer(dir)).not.toThrow();
  });
});

describe('assertViewSupplies', () => {
  it('checks triple mustaches, sections and inverted sections', () => {
    expect(() => assertViewSupplies('k', '{{{raw}}}', {})).toThrow(/raw/);
    expect(() => assertViewSupplies('k', '{{#list}}x{{/list}}', {})).toThrow(/list/);
    expect(() => assertViewSupplies('k', '{{^flag}}x{{/flag}}', {})).toThrow(/flag/);
    expect(() => assertViewSupplies('k', '{{^flag}}x{{/flag}}', { flag: false })).not.toThrow();
  });

  it('resolves names in each list item first, then outward', () => {
    const template = '{{#items}}{{name}} {{outer}}{{/items}}';
    expect(() => assertViewSupplies('k', template, { items: [{ name: 'a' }], outer: 1 })).not.toThrow();
    expect(() => assertViewSupplies('k', template, { items: [{ name: 'a' }, {}], outer: 1 })).toThrow(/name/);
    expect(() => assertViewSupplies('k', template, { items: [{ name: 'a' }] })).toThrow(/outer/);
  });

  it('follows dotted names and object sections', () => {
    expect(() => assertViewSupplies('k', '{{a.b}}', { a: { b: 1 } })).not.toThrow();
    expect(() => assertViewSupplies('k', '{{a.c}}', { a: { b: 1 } })).toThrow(/a\.c/);
    expect(() => assertViewSupplies('k', '{{#a}}{{b}}{{/a}}', { a: { b: 0 } })).not.toThrow();
  });
});

describe('view helpers', () => {
  it('draws bars and percentages per language', () => {
    expect(progressBar(0.3)).toBe('▰▰▰▱▱▱▱▱▱▱');
    expect(progressBar(0)).toBe('▱▱▱▱▱▱▱▱▱▱');
    expect(progressBar(1.5)).toBe('▰▰▰▰▰▰▰▰▰▰');
    expect(formatPercent(0.3, 'fr')).toBe('30\u202F%');
    expect(formatPercent(0.3, 'en')).toBe('30%');
  });

  it('cuts long answers to one line with an ellipsis', () => {
    expect(excerpt('a\nb')).toBe('a b');
    const long = excerpt('word '.repeat(100), 40);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('the Answer form’s words', () => {
  it('speak the campaign’s language, and both for a button that did not say which', () => {
    expect(answerFormWords('fr')).toMatchObject({
      button: 'Répondre',
      field: 'Votre réponse',
      send: 'Envoyer',
    });
    expect(answerFormWords('en')).toMatchObject({ button: 'Answer', field: 'Your answer', send: 'Send' });
    for (const unknown of [undefined, '', 'de']) {
      expect(answerFormWords(unknown).button).toBe('Answer · Répondre');
    }
  });
});
