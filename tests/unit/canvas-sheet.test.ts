import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledCanvas } from '../../src/canvas/canvas-types.js';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { renderCanvasPng } from '../../src/render/sheet/canvas-png.js';
import { renderCanvasSvg } from '../../src/render/sheet/canvas-svg.js';
import { sheetFontFiles } from '../../src/render/sheet/fonts.js';
import { xml } from '../../src/render/sheet/svg-markup.js';
import { SAMPLE_NOW } from '../fixtures/sample-campaign.js';
import { crowdCampaign, sheetSamples } from '../fixtures/sheet-campaigns.js';

const GOLDEN_DIR = join(import.meta.dirname, 'golden', 'sheets');
const GOLDEN_WIDTH = 1190;
/** A pixel differs when a channel moves by more than this; a picture differs past MAX_CHANGED. */
const CHANNEL_TOLERANCE = 48;
const MAX_CHANGED = 0.005;

interface Group {
  role: string;
  box: { x: number; y: number; w: number; h: number };
  attributes: string;
  content: string;
}

function groups(svg: string): Group[] {
  return [...svg.matchAll(/<g data-role="([^"]+)" data-box="([^"]+)"([^>]*)>([\s\S]*?)<\/g>/g)].map((m) => {
    const [x, y, w, h] = (m[2] as string).split(' ').map(Number) as [number, number, number, number];
    return { role: m[1] as string, box: { x, y, w, h }, attributes: m[3] as string, content: m[4] as string };
  });
}

function texts(markup: string): string[] {
  return markup.match(/<text[\s\S]*?<\/text>/g) ?? [];
}

/** Where the renderer actually draws some text, measured on the rendered glyphs (not on our metrics). */
function inkBox(textElements: string[]) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1680" height="1188" viewBox="0 0 1680 1188" font-family="DejaVu Sans, Noto Emoji, sans-serif">${textElements.join('')}</svg>`;
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: sheetFontFiles(), defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.getBBox();
}

/** The groups whose drawn text leaves their declared box, with by how much. */
function overflows(svg: string): string[] {
  const found: string[] = [];
  for (const group of groups(svg)) {
    const ink = inkBox(texts(group.content));
    if (!ink) continue;
    const { x, y, w, h } = group.box;
    const outside = Math.max(x - ink.x, y - ink.y, ink.x + ink.width - (x + w), ink.y + ink.height - (y + h));
    if (outside > 0.5) found.push(`${group.role}${group.attributes} by ${outside.toFixed(1)}`);
  }
  return found;
}

/** The words drawn, a line per baseline: a line split over fonts (text, emoji) reads as one. */
function textContent(svg: string): string {
  let out = '';
  let lastY: string | undefined;
  for (const element of texts(svg)) {
    const y = / y="([^"]+)"/.exec(element)?.[1];
    out += (lastY === undefined || y === lastY ? '' : '\n') + element.replace(/<[^>]+>/g, '');
    lastY = y;
  }
  return out;
}

let template: CanvasTemplate;
const samples: { name: string; canvas: CompiledCanvas; svg: string }[] = [];

beforeAll(async () => {
  template = await loadDefaultTemplate();
  for (const sample of sheetSamples()) {
    const canvas = compileCanvas(sample.campaign, template, SAMPLE_NOW);
    samples.push({ name: sample.name, canvas, svg: renderCanvasSvg(canvas) });
  }
});

describe('the canvas sheet', () => {
  it('is an A3 landscape SVG titled with the campaign and credits inno³', () => {
    for (const { canvas, svg } of samples) {
      expect(svg).toMatch(/^<svg [^>]*width="420mm" height="297mm" viewBox="0 0 1680 1188"/);
      expect(svg).toContain(`lang="${canvas.campaign.lang}"`);
      expect(svg).toContain(`<title id="sheet-title">${xml(canvas.campaign.name)}`);
      expect(textContent(svg).replace(/\n/g, ' ')).toContain('inno³');
    }
  });

  it('shows every synthesis area with its title, and every block of it', () => {
    for (const { canvas, svg } of samples) {
      const drawn = groups(svg);
      const shown = textContent(svg);
      for (const area of canvas.synthesis) {
        expect(drawn.some((g) => g.attributes.includes(`data-area="${area.id}"`))).toBe(true);
        expect(shown).toContain(xml(area.title));
        for (const block of area.blocks) {
          const cell = drawn.find((g) => g.attributes.includes(`data-block="${block.id}"`));
          expect(cell, `${block.id} on the sheet`).toBeDefined();
          expect(cell?.attributes.includes('data-gap="true"')).toBe(block.gap);
        }
      }
    }
  });

  it('names every contributor', () => {
    for (const { name, canvas, svg } of samples) {
      const people = groups(svg).find((g) => g.role === 'contributors');
      expect(people?.attributes).toContain(`data-people="${canvas.contributors.length}"`);
      const shown = textContent(people?.content ?? '');
      const missing = canvas.contributors.filter((c) => !shown.includes(`${xml(c.name)}\u2069 (${c.count})`));
      expect(missing, name).toEqual([]);
    }
  });

  it('counts the contributors it has no room for, and still keeps every line in its box', () => {
    const canvas = compileCanvas(crowdCampaign(), template, SAMPLE_NOW);
    const svg = renderCanvasSvg(canvas);
    const shown = textContent(groups(svg).find((g) => g.role === 'contributors')?.content ?? '');
    const named = canvas.contributors.filter((c) => shown.includes(`${xml(c.name)}\u2069 (`));
    const more = Number(/\+ (\d+) autres personnes/.exec(shown)?.[1]);
    expect(named.length).toBeGreaterThan(40);
    expect(more).toBeGreaterThan(0);
    expect(named.length + more).toBe(300);
    expect(overflows(svg)).toEqual([]);
  });

  it('shows excerpts with their authors and counts the answers it leaves out', () => {
    const huge = samples.find((s) => s.name === 'huge');
    const cells = groups(huge?.svg ?? '').filter((g) => g.role === 'cell');
    for (const cell of cells) {
      const block = huge?.canvas.fiches.flatMap((f) => f.blocks).find((b) => cell.attributes.includes(b.id));
      const shownCount = Number(/data-shown="(\d+)"/.exec(cell.attributes)?.[1]);
      expect(shownCount).toBeGreaterThan(0);
      const hidden = (block?.count ?? 0) - shownCount;
      expect(textContent(cell.content)).toContain(
        hidden === 1 ? '+ 1 autre réponse' : `+ ${hidden} autres réponses`,
      );
      expect(textContent(cell.content)).toContain('…');
    }
    const full = samples.find((s) => s.name === 'full');
    expect(textContent(full?.svg ?? '')).toContain('Gaëlle\u2069 · ');
  });

  it('keeps every line of text inside its box, measured on the rendered glyphs', () => {
    for (const { name, svg } of samples) {
      const all = texts(svg).length;
      const boxed = groups(svg).reduce((sum, g) => sum + texts(g.content).length, 0);
      expect(boxed, `${name}: every text belongs to a box`).toBe(all);
      expect(overflows(svg), name).toEqual([]);
    }
  });

  it('catches text that leaves its box (the check itself can fail)', () => {
    const long = `<g data-role="cell" data-box="10 10 100 20"><text x="12" y="25" font-size="11">${'overflowing '.repeat(5)}</text></g>`;
    expect(overflows(long)).toHaveLength(1);
  });

  it('never lets a member’s text become markup, and drops characters XML refuses', () => {
    const rtl = samples.find((s) => s.name === 'rtl-emoji')?.svg ?? '';
    expect(rtl).not.toContain('<b>');
    expect(rtl).toContain('&#60;b&#62;balises');
    for (const refused of ['\u0000', '\u0007', '\uFFFE']) expect(rtl).not.toContain(refused);
    // The emoji are drawn with the emoji font, named, rather than left to fallback.
    expect(rtl).toMatch(/font-family="Noto Emoji"[^>]*>🚲/);
  });

  it('draws a Hebrew or Arabic answer as a right-to-left paragraph from the cell’s right edge', () => {
    const sample = samples.find((s) => s.name === 'rtl-emoji');
    for (const blockId of ['def.purpose', 'fct.contributions']) {
      const cell = groups(sample?.svg ?? '').find((g) => g.attributes.includes(`data-block="${blockId}"`));
      const right = (cell?.box.x ?? 0) + (cell?.box.w ?? 0) - 8;
      const byLine = new Map<string, string[]>();
      for (const text of texts(cell?.content ?? '').filter((t) => t.includes('\u202B'))) {
        const y = / y="([^"]+)"/.exec(text)?.[1] ?? '';
        byLine.set(y, [...(byLine.get(y) ?? []), text]);
      }
      expect(byLine.size, blockId).toBeGreaterThan(0);
      for (const pieces of byLine.values()) {
        const ink = inkBox(pieces);
        expect(ink, blockId).toBeDefined();
        // Shaped Arabic is a little narrower than its letters measured alone: close to the edge, not past it.
        expect((ink?.x ?? 0) + (ink?.width ?? 0)).toBeGreaterThan(right - 12);
        expect((ink?.x ?? 0) + (ink?.width ?? 0)).toBeLessThanOrEqual(right + 0.5);
      }
    }
  });

  it.each(sheetSamples().map((s) => s.name))(
    'renders %s to a PNG close to its reviewed golden image',
    async (name) => {
      const sample = samples.find((s) => s.name === name) as (typeof samples)[number];
      const png = await renderCanvasPng(sample.canvas, GOLDEN_WIDTH);
      expect(png.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      const file = join(GOLDEN_DIR, `${name}.png`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
        // A missing golden is written for review, and the test fails so it cannot pass unreviewed.
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, png);
        if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`wrote ${file}: review it, then run again`);
      }
      const actual = PNG.sync.read(png);
      const golden = PNG.sync.read(readFileSync(file));
      expect([actual.width, actual.height]).toEqual([golden.width, golden.height]);
      let changed = 0;
      for (let i = 0; i < actual.data.length; i += 4) {
        for (let c = 0; c < 4; c++) {
          if (Math.abs((actual.data[i + c] as number) - (golden.data[i + c] as number)) > CHANNEL_TOLERANCE) {
            changed++;
            break;
          }
        }
      }
      expect(changed / (actual.width * actual.height)).toBeLessThanOrEqual(MAX_CHANGED);
    },
  );
});
