import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefaultTemplate, loadTemplate } from '../../src/canvas/template-loader.js';
import { defaultPromptsDir } from '../../src/render/renderer.js';
import { SHEET_WORDS } from '../../src/render/sheet/sheet-words.js';
import { WORDS as PAGE_WORDS } from '../../src/web/canvas-page-words.js';

/**
 * French typography in every French text the bot shows: a narrow no-break space (U+202F) before ; ! ?,
 * a no-break space (U+00A0) before : and inside « ». With an ordinary space, a narrow chat window leaves
 * a lone « : » or « ! » at the start of a line.
 */

const NBSP = '\u00A0';
const NNBSP = '\u202F';

/** What is not French prose: mustache tags, inline code, URLs, emoji shortcodes and clock times. */
function proseOnly(text: string): string {
  return (
    text
      // A tag becomes a letter, so `{{title}}:` still counts as a word glued to its colon.
      .replace(/\{\{[^}]*\}\}\}?/g, 'X')
      .replace(/`[^`\n]*`/g, 'X')
      .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, 'X')
      .replace(/:[a-z0-9_+-]+:/g, 'X')
      .replace(/\b\d{1,2}:\d{2}\b/g, 'X')
  );
}

/** The problems in one text, each quoting the place it was found. */
function typographyProblems(text: string): string[] {
  const prose = proseOnly(text);
  const problems: string[] = [];
  const rules: [RegExp, string][] = [
    [/[^\S\u202F]([;!?])/gu, 'needs U+202F (narrow no-break space) before'],
    [/[^\s\u00A0\u202F!?…]([;!?])(?!\[)/gu, 'needs U+202F (narrow no-break space) before'],
    [/[^\S\u00A0]:/gu, 'needs U+00A0 (no-break space) before'],
    [/[^\s\u00A0\u202F]:(?=\s|$)/gu, 'needs U+00A0 (no-break space) before'],
    [/«(?!\u00A0)/gu, 'needs U+00A0 (no-break space) after'],
    [/(?<!\u00A0)»/gu, 'needs U+00A0 (no-break space) before'],
  ];
  for (const [pattern, message] of rules) {
    for (const match of prose.matchAll(pattern)) {
      const at = match.index ?? 0;
      const sign = match[1] ?? match[0].trim().slice(-1);
      const around = prose.slice(Math.max(0, at - 20), at + 5).replace(/\n/g, '⏎');
      problems.push(`${message} « ${sign} »: …${around}…`);
    }
  }
  return problems;
}

/** Every string under an `fr` key, with the path that leads to it. */
function frenchStrings(value: unknown, path = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => frenchStrings(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]): [string, string][] =>
    key === 'fr' && typeof inner === 'string'
      ? [[`${path}.fr`, inner]]
      : frenchStrings(inner, `${path}.${key}`),
  );
}

function expectClean(where: string, text: string): void {
  expect({ where, problems: typographyProblems(text) }).toEqual({ where, problems: [] });
}

describe('the typography check', () => {
  it.each([
    ['Bonjour ! Je suis Canevas.', 'plain space before !'],
    ['Bonjour! Je suis Canevas.', 'no space before !'],
    [`Bonjour${NBSP}! Je suis Canevas.`, 'wide no-break space before !'],
    ['Une question ; une autre.', 'plain space before ;'],
    ['Où en est-on ?', 'plain space before ?'],
    ['Où en est-on?', 'no space before ?'],
    ['Rythme : chaque semaine', 'plain space before :'],
    ['Rythme: chaque semaine', 'no space before :'],
    [`Rythme${NNBSP}: chaque semaine`, 'narrow space before :'],
    ['{{#b}}Et ensuite{{/b}} : {{nextTitle}}', 'plain space before : after a tag'],
    ['{{title}}: {{count}}', 'a tag glued to its colon'],
    ['Je ne comprends pas « {{value}} ».', 'plain spaces inside « »'],
    [`le «${NBSP}nous»`, 'no space before »'],
  ])('flags %j (%s)', (line) => {
    expect(typographyProblems(line).length).toBeGreaterThan(0);
  });

  it.each([
    [`Bonjour${NNBSP}! Je suis Canevas.`],
    [`Rythme${NBSP}: chaque semaine, à 10:00 (fuseau Europe/Paris)`],
    [`Voir https://example.org/velocarte?x=1 et http://localhost:3000/canvas.`],
    [`Utilisez \`cadence:"0 10 * * 2"\` ou \`lang:fr\`${NNBSP}; ou \`/canevas help\`.`],
    [`Bravo :tada: et :white_check_mark:`],
    [`Je ne comprends pas «${NBSP}{{value}}${NBSP}»${NNBSP}!`],
    ['{{#canvasLink}}Voir le canevas{{/canvasLink}} · {{! un commentaire }}{{^count}}personne{{/count}}'],
    [`Vraiment${NNBSP}?!`],
  ])('leaves %j alone', (line) => {
    expect(typographyProblems(line)).toEqual([]);
  });
});

describe('French texts follow French typography', () => {
  const frDir = join(defaultPromptsDir(), 'fr');

  it.each(readdirSync(frDir).filter((f) => f.endsWith('.mustache')))('prompts/fr/%s', (file) => {
    expectClean(file, readFileSync(join(frDir, file), 'utf8'));
  });

  it('every French string of the default template (prompts/canvas.yaml)', async () => {
    const strings = frenchStrings(await loadDefaultTemplate());
    expect(strings.length).toBeGreaterThan(100);
    for (const [where, text] of strings) expectClean(where, text);
  });

  it('every French string of the templates in templates/', async () => {
    const folder = resolve('templates');
    for (const file of readdirSync(folder).filter((f) => /\.ya?ml$/.test(f))) {
      for (const [where, text] of frenchStrings(await loadTemplate(join(folder, file)))) {
        expectClean(`${file}${where}`, text);
      }
    }
  });

  it("the sheet's own French words", () => {
    const words = SHEET_WORDS.fr;
    const texts = [
      ...Object.values(words).filter((w): w is string => typeof w === 'string'),
      ...Object.values(words.status),
      ...[0, 1, 2].flatMap((n) => [
        words.answers(n),
        words.more(n),
        words.morePeople(n),
        words.contributors(n),
      ]),
      words.alt('Vélocarte'),
    ];
    for (const text of texts) expectClean('SHEET_WORDS.fr', text);
  });

  it("the canvas page's own French words", () => {
    const words = PAGE_WORDS.fr;
    const texts = [
      ...Object.values(words).filter((w): w is string => typeof w === 'string'),
      ...Object.values(words.status),
      ...Object.values(words.question),
      ...[0, 1, 2].flatMap((n) => [
        words.blocksAnswered(n, 29),
        words.answers(n),
        words.contributors(n),
        words.more(n),
        words.principleCovered(n),
      ]),
      words.startedOn('1 décembre 2026'),
      words.fiche(1),
      words.generatedOn('14 décembre 2026'),
    ];
    for (const text of texts) expectClean('PAGE_WORDS.fr', text);
  });
});
