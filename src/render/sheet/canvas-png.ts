import { renderAsync } from '@resvg/resvg-js';
import type { CompiledCanvas } from '../../canvas/canvas-types.js';
import { renderCanvasSvg } from './canvas-svg.js';
import { sheetFontFiles } from './fonts.js';

/** Default PNG width: A3 landscape at 150 dpi, sharp on screens and fine to print. */
export const SHEET_PNG_WIDTH = 2480;

/**
 * Rasterises a sheet with the bundled fonts only: no system fonts, no network, the same pixels
 * everywhere. It runs on libuv's thread pool: a second of drawing must not hold up the event loop that
 * acknowledges Slack within 3 s.
 */
export async function svgToPng(svg: string, width = SHEET_PNG_WIDTH): Promise<Buffer> {
  const image = await renderAsync(svg, {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false, fontFiles: sheetFontFiles(), defaultFontFamily: 'DejaVu Sans' },
  });
  return image.asPng();
}

export function renderCanvasPng(canvas: CompiledCanvas, width = SHEET_PNG_WIDTH): Promise<Buffer> {
  return svgToPng(renderCanvasSvg(canvas), width);
}
