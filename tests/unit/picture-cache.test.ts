import { readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { buildCanvasPicture, buildExport } from '../../src/jobs/build-export.js';
import {
  CHAT_PNG_WIDTH,
  keptPictures,
  PictureCache,
  renderCanvasPng,
  SHEET_PNG_WIDTH,
} from '../../src/render/sheet/canvas-png.js';
import { renderCanvasSvg } from '../../src/render/sheet/canvas-svg.js';
import { fontFilesFor } from '../../src/render/sheet/font-subsets.js';
import { sheetFontFiles } from '../../src/render/sheet/fonts.js';
import { SAMPLE_NOW, sampleCampaign } from '../fixtures/sample-campaign.js';
import { sheetSamples } from '../fixtures/sheet-campaigns.js';

let template: CanvasTemplate;
const widthOf = (png: Buffer) => png.readUInt32BE(16);

beforeAll(async () => {
  template = await loadDefaultTemplate();
});

beforeEach(() => keptPictures.clear());

describe('the canvas picture', () => {
  it('is drawn once per content and width: the same bytes again, a new picture when an answer changes', async () => {
    const campaign = sampleCampaign('en');
    const canvas = compileCanvas(campaign, template, SAMPLE_NOW);
    const first = await renderCanvasPng(canvas, 600);
    expect(keptPictures.size).toBe(1);
    const again = await renderCanvasPng(compileCanvas(campaign, template, SAMPLE_NOW), 600);
    expect(again.equals(first)).toBe(true);
    expect(keptPictures.size).toBe(1);

    const [answer] = Object.values(campaign.answers).filter((a) => !a.removedAt);
    if (!answer) throw new Error('no answer');
    const changed = {
      ...campaign,
      answers: { ...campaign.answers, [answer.id]: { ...answer, text: 'Changed.' } },
    };
    const other = await renderCanvasPng(compileCanvas(changed, template, SAMPLE_NOW), 600);
    expect(other.equals(first)).toBe(false);
    expect(keptPictures.size).toBe(2);
    // Another width is another picture.
    expect(widthOf(await renderCanvasPng(canvas, 500))).toBe(500);
    expect(keptPictures.size).toBe(3);
  });

  it('goes to chat at the sheet’s own width, while `export png` stays A3', async () => {
    const canvas = compileCanvas(sampleCampaign('fr'), template, SAMPLE_NOW);
    const picture = await buildCanvasPicture(canvas, SAMPLE_NOW);
    expect(widthOf(picture.data)).toBe(CHAT_PNG_WIDTH);
    const exported = await buildExport(canvas, 'png');
    expect(widthOf(exported.data)).toBe(SHEET_PNG_WIDTH);
  });

  it('has the same pixels with the fonts cut to the sheet’s characters as with the whole fonts', async () => {
    // Hebrew, Arabic (shaped), emoji and Latin with accents: every font and its layout features.
    const sample = sheetSamples().find((s) => s.name === 'rtl-emoji');
    if (!sample) throw new Error('no sample');
    const svg = renderCanvasSvg(compileCanvas(sample.campaign, template, SAMPLE_NOW));
    const cut = await fontFilesFor(svg);
    expect(cut).not.toEqual(sheetFontFiles());
    const whole = sheetFontFiles().reduce((n, f) => n + readFileSync(f).length, 0);
    expect(cut.reduce((n, f) => n + readFileSync(f).length, 0)).toBeLessThan(whole / 5);
    const pixels = (fontFiles: string[]) =>
      new Resvg(svg, {
        fitTo: { mode: 'width', value: 900 },
        font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'DejaVu Sans' },
      })
        .render()
        .pixels.toString('base64');
    expect(pixels(cut)).toBe(pixels(sheetFontFiles()));
    // The same characters, the same cut.
    expect(await fontFilesFor(svg)).toEqual(cut);
  });
});

describe('the picture cache', () => {
  const png = (bytes: number, fill: number) => Buffer.alloc(bytes, fill);

  it('drops the least recently used pictures past its size', () => {
    const cache = new PictureCache(300);
    cache.set('a', png(100, 1));
    cache.set('b', png(100, 2));
    cache.set('c', png(100, 3));
    expect(cache.get('a')?.[0]).toBe(1);
    cache.set('d', png(100, 4));
    // b was the least recently used: a was read after it.
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a')?.[0], cache.get('c')?.[0], cache.get('d')?.[0]]).toEqual([1, 3, 4]);
    expect(cache.size).toBe(3);
  });

  it('keeps nothing larger than itself, and keeps the first picture of a key', () => {
    const cache = new PictureCache(100);
    cache.set('big', png(101, 1));
    expect(cache.get('big')).toBeUndefined();
    cache.set('k', png(50, 1));
    cache.set('k', png(50, 2));
    expect(cache.get('k')?.[0]).toBe(1);
    expect(cache.size).toBe(1);
  });
});
