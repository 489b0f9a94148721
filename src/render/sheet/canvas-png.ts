import { Resvg } from '@resvg/resvg-js';
import type { CompiledCanvas } from '../../canvas/canvas-types.js';
import { renderCanvasSvg } from './canvas-svg.js';
import { sheetFontFiles } from './fonts.js';

/** Default PNG width: A3 landscape at 150 dpi, sharp on screens and fine to print. */
export const SHEET_PNG_WIDTH = 2480;

/** Rasterises a sheet with the bundled fonts only: no system fonts, no network, the same pixels everywhere. */
export function svgToPng(svg: string, width = SHEET_PNG_WIDTH): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false, fontFiles: sheetFontFiles(), defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

export function renderCanvasPng(canvas: CompiledCanvas, width = SHEET_PNG_WIDTH): Buffer {
  return svgToPng(renderCanvasSvg(canvas), width);
}
