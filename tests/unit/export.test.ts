import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { LANGS } from '../../src/facilitation/types.js';
import { buildCanvasPicture, buildExport } from '../../src/jobs/build-export.js';
import { packageRoot } from '../../src/package-root.js';
import { CSV_COLUMNS, exportCsv } from '../../src/render/export-csv.js';
import { exportJson } from '../../src/render/export-json.js';
import { exportMarkdown } from '../../src/render/export-markdown.js';
import { renderCanvasPng } from '../../src/render/sheet/canvas-png.js';
import { renderCanvasSvg } from '../../src/render/sheet/canvas-svg.js';
import { governanceSample, INJECTION, SAMPLE_NOW, sampleCampaign } from '../fixtures/sample-campaign.js';
import { expectGolden } from './golden/expect-golden.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let template: CanvasTemplate;

beforeAll(async () => {
  template = await loadDefaultTemplate();
});

const canvasIn = (lang: 'fr' | 'en') => compileCanvas(sampleCampaign(lang), template, SAMPLE_NOW);
const link = (ref: { messageRef: string }) => `https://chat.example.org/m/${ref.messageRef}`;
/** Further on: support, statements agreed, objected and open, an action; with links to the messages. */
const governanceIn = (lang: 'fr' | 'en') => compileCanvas(governanceSample(lang), template, SAMPLE_NOW, link);

/** A small RFC 4180 reader, to prove the export reads back to the exact texts. */
function parseCsv(data: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as string;
    if (quoted) {
      if (c === '"' && data[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && data[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('exports match their golden files', () => {
  for (const lang of LANGS) {
    it(`Markdown, JSON and CSV in ${lang}`, () => {
      const canvas = governanceIn(lang);
      const doc = exportMarkdown(canvas, lang).data;
      expectGolden(`export-${lang}.md`, doc);
      // The example in docs/ is this very document, so it never drifts from what the bot makes.
      expect(
        readFileSync(join(packageRoot(), 'docs', 'examples', `GOVERNANCE-CANVAS.${lang}.md`), 'utf8'),
      ).toBe(doc);
      expectGolden(`export-${lang}.json`, exportJson(canvas).data);
      expectGolden(`export-${lang}.csv`, exportCsv(canvas).data);
    });
  }
});

describe('exportCsv', () => {
  it('has a header, one row per active answer, CRLF line ends and the texts as written', () => {
    const canvas = canvasIn('en');
    const file = exportCsv(canvas);
    expect(file.contentType).toMatch(/^text\/csv/);
    expect(file.filename).toMatch(/\.csv$/);
    expect(file.data.endsWith('\r\n')).toBe(true);
    expect(file.data.replace(/\r\n/g, '').includes('\r')).toBe(false);
    expect(file.data.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(file.data.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(1 + canvas.totalAnswers);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const texts = rows.slice(1).map((r) => r[10]);
    const campaign = sampleCampaign('en');
    // It starts with `@`, which a spreadsheet would read as a formula.
    expect(texts).toContain(`'${INJECTION}`);
    expect(texts).toContain(campaign.answers.m3?.text);
    expect(texts).toContain(campaign.answers.m6?.text);
    expect(texts).not.toContain(campaign.answers.m4?.text);
    const edited = rows.find((r) => r[4] === 'm2');
    expect(edited?.[9]).toBe('true');
  });
});

describe('exportCsv, opened by a spreadsheet', () => {
  const FORMULAS = [
    '=HYPERLINK("https://evil.example","Zoé")',
    '@SUM(A1:A9)',
    '+1+1',
    '-2+3',
    '\tcmd',
    '\rcmd',
  ];
  const withAnswers = (texts: string[]) => {
    const c = sampleCampaign('en');
    const base = c.answers.m1;
    if (!base) throw new Error('no m1');
    const answers = Object.fromEntries(texts.map((text, i) => [`f${i}`, { ...base, id: `f${i}`, text }]));
    return compileCanvas({ ...c, answers: { ...c.answers, ...answers } }, template, SAMPLE_NOW);
  };
  const textsOf = (data: string) =>
    parseCsv(data.replace(/^\uFEFF/, ''))
      .slice(1)
      .filter((r) => r[4]?.startsWith('f'))
      .map((r) => r[10]);

  it('starts every cell a spreadsheet would run as a formula with an apostrophe, and opens as UTF-8', () => {
    const file = exportCsv(withAnswers([...FORMULAS, 'Zoé says = is fine inside', 'a-b']));
    expect(file.data.charCodeAt(0)).toBe(0xfeff);
    expect(textsOf(file.data)).toEqual([...FORMULAS.map((f) => `'${f}`), 'Zoé says = is fine inside', 'a-b']);
  });

  it('keeps every cell exactly as written with `raw`, without the byte-order mark', async () => {
    const canvas = withAnswers(FORMULAS);
    const raw = exportCsv(canvas, { raw: true });
    expect(raw.data.startsWith('campaign_id,')).toBe(true);
    expect(textsOf(raw.data)).toEqual(FORMULAS);
    const built = await buildExport(canvas, 'csv', { raw: true });
    expect(built.data.toString('utf8')).toBe(raw.data);
  });
});

describe('exportJson', () => {
  it('is pretty JSON with schemaVersion 3, each block once, and no campaign secret', () => {
    const file = exportJson(canvasIn('fr'));
    expect(file.contentType).toMatch(/^application\/json/);
    const doc = JSON.parse(file.data);
    expect(doc.schemaVersion).toBe(3);
    expect(file.data).toContain('\n  "schemaVersion": 3');
    expect(file.data).not.toContain('k3y_s3cret');
    const blocks = doc.fiches.flatMap((f: { blocks: { id: string }[] }) => f.blocks.map((b) => b.id));
    expect(new Set(blocks).size).toBe(29);
    expect(doc.synthesis[0].blocks.every((id: unknown) => typeof id === 'string')).toBe(true);
  });
});

describe('exportMarkdown', () => {
  it('credits the canvas, shows gaps as gaps and quotes escaped answers', () => {
    const file = exportMarkdown(canvasIn('fr'), 'fr');
    expect(file.filename).toBe('GOVERNANCE-CANVAS.md');
    expect(file.data).toContain('CC BY-SA');
    expect(file.data).toContain('À compléter\u00A0: pas encore de réponse.');
    expect(file.data).not.toMatch(/[Ll]acune/);
    expect(file.data).not.toContain('@everyone');
    expect(file.data).not.toContain('<!channel>');
    expect(file.data).not.toContain('[x](http://evil)');
    expect(file.data).toMatch(/^> .*\\\*\\\*bold/m);
    expect(exportMarkdown(canvasIn('en'), 'en').data).toContain('Not answered yet.');
  });

  it('is a governance document: whose, its status, what was agreed first, then actions and the annex', () => {
    const doc = exportMarkdown(governanceIn('en'), 'en').data;
    const lines = doc.split('\n');
    expect(lines[0]).toBe('# Vélocarte — Governance canvas');
    expect(doc).toContain('**Status**: draft under discussion (workshop running)');
    expect(doc).toMatch(/\*\*People\*\*: 3 · \*\*Answers\*\*: 7/);
    expect(doc).toContain('**Agreed**: 1 shared statement of 29 questions');
    // The agreed text comes first, then the objected one with its reason, before any answer.
    const agreed = doc.indexOf('We share the repair-point data (ODbL, in OpenStreetMap)');
    const objection = doc.indexOf('**Ben_42**: A partner workshop might want to be featured');
    const annex = doc.indexOf('## Annex: what everyone said');
    expect(agreed).toBeGreaterThan(0);
    expect(agreed).toBeLessThan(objection);
    expect(objection).toBeLessThan(annex);
    expect(doc).toContain('_Agreed by consent on 4 December 2026 (Ben_42), with 1 concern (version 2)_');
    expect(doc).toContain('- Concern from Chloé: Say who holds the domain name too.');
    expect(doc).toContain('_Open for consent until 16 December 2026_');
    // The action table: what, who, when, indicator, support, state, with a link to the message.
    expect(doc).toContain(
      '| A1 | Write down who decides what in GOVERNANCE.md [message](https://chat.example.org/m/m8) | Ben | 31 January 2027 | the file is published and linked from the README | 👍 1 | agreed |',
    );
    // The annex: most supported first, with support and a working link.
    // Ada's own 👎 on her answer does not count.
    expect(doc).toContain('— **Ada**, 1 December 2026 · 👍 2 · [message](https://chat.example.org/m/m1)');
    expect(doc).not.toContain('\\(');
  });
});

describe('buildExport as a picture', () => {
  it('exports the sheet as SVG, exactly as the renderer draws it', async () => {
    const canvas = canvasIn('en');
    const file = await buildExport(canvas, 'svg');
    expect(file.name).toBe('canevas-canvas-for-the-governance-of-digital-commons.svg');
    expect(file.contentType).toBe('image/svg+xml');
    const svg = file.data.toString('utf8');
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(svg).toBe(renderCanvasSvg(canvas));
  });

  it('exports the sheet as PNG, byte for byte', async () => {
    const canvas = canvasIn('fr');
    const file = await buildExport(canvas, 'png');
    expect(file.name).toBe('canevas-pour-la-gouvernance-des-communs-numeriques.png');
    expect(file.contentType).toBe('image/png');
    const png = file.data;
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.equals(await renderCanvasPng(canvas))).toBe(true);
  });

  it('names the picture of a summary by campaign and by day in the campaign’s time zone', async () => {
    const canvas = canvasIn('en');
    // 23:30 UTC is already the next day in Paris.
    const picture = await buildCanvasPicture(canvas, new Date('2026-12-14T23:30:00Z'));
    expect(picture.name).toBe('canevas-canvas-for-the-governance-of-digital-commons-2026-12-15.png');
    expect(picture.contentType).toBe('image/png');
    expect(picture.alt).toBe(
      `Governance canvas of “${canvas.campaign.name}”: the A3 synthesis sheet, made from the answers`,
    );
    expect((await buildExport(canvasIn('fr'), 'svg')).alt).toMatch(/^Canevas de gouvernance de «\u00A0/);
    expect((await buildExport(canvas, 'csv')).alt).toBeUndefined();
    expect(picture.data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });
});
