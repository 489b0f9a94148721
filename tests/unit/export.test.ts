import { beforeAll, describe, expect, it } from 'vitest';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { LANGS } from '../../src/facilitation/types.js';
import { buildCanvasPicture, buildExport } from '../../src/jobs/build-export.js';
import { CSV_COLUMNS, exportCsv } from '../../src/render/export-csv.js';
import { exportJson } from '../../src/render/export-json.js';
import { exportMarkdown } from '../../src/render/export-markdown.js';
import { renderCanvasPng } from '../../src/render/sheet/canvas-png.js';
import { renderCanvasSvg } from '../../src/render/sheet/canvas-svg.js';
import { INJECTION, SAMPLE_NOW, sampleCampaign } from '../fixtures/sample-campaign.js';
import { expectGolden } from './golden/expect-golden.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let template: CanvasTemplate;

beforeAll(async () => {
  template = await loadDefaultTemplate();
});

const canvasIn = (lang: 'fr' | 'en') => compileCanvas(sampleCampaign(lang), template, SAMPLE_NOW);

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
      const canvas = canvasIn(lang);
      expectGolden(`export-${lang}.md`, exportMarkdown(canvas, lang).data);
      expectGolden(`export-${lang}.json`, exportJson(canvas).data);
      expectGolden(`export-${lang}.csv`, exportCsv(canvas).data);
    });
  }
});

describe('exportCsv', () => {
  it('has a header, one row per active answer, CRLF line ends and the text exactly as written', () => {
    const canvas = canvasIn('en');
    const file = exportCsv(canvas);
    expect(file.contentType).toMatch(/^text\/csv/);
    expect(file.filename).toMatch(/\.csv$/);
    expect(file.data.endsWith('\r\n')).toBe(true);
    expect(file.data.replace(/\r\n/g, '').includes('\r')).toBe(false);
    const rows = parseCsv(file.data);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(1 + canvas.totalAnswers);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const texts = rows.slice(1).map((r) => r[10]);
    const campaign = sampleCampaign('en');
    expect(texts).toContain(INJECTION);
    expect(texts).toContain(campaign.answers.m3?.text);
    expect(texts).toContain(campaign.answers.m6?.text);
    expect(texts).not.toContain(campaign.answers.m4?.text);
    const edited = rows.find((r) => r[4] === 'm2');
    expect(edited?.[9]).toBe('true');
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
});

describe('buildExport as a picture', () => {
  it('exports the sheet as SVG, exactly as the renderer draws it', async () => {
    const canvas = canvasIn('en');
    const file = await buildExport(canvas, 'svg');
    expect(file.name).toBe('canevas-canvas-for-the-governance-of-digital-commons.svg');
    expect(file.contentType).toBe('image/svg+xml');
    const svg = Buffer.from(file.base64, 'base64').toString('utf8');
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(svg).toBe(renderCanvasSvg(canvas));
  });

  it('exports the sheet as PNG, byte for byte', async () => {
    const canvas = canvasIn('fr');
    const file = await buildExport(canvas, 'png');
    expect(file.name).toBe('canevas-pour-la-gouvernance-des-communs-numeriques.png');
    expect(file.contentType).toBe('image/png');
    const png = Buffer.from(file.base64, 'base64');
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
    expect(Buffer.from(picture.base64, 'base64').subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });
});
