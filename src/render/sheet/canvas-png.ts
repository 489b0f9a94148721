import { createHash } from 'node:crypto';
import { renderAsync } from '@resvg/resvg-js';
import type { CompiledCanvas } from '../../canvas/canvas-types.js';
import { renderCanvasSvg } from './canvas-svg.js';
import { fontFilesFor } from './font-subsets.js';

/** Default PNG width: A3 landscape at 150 dpi, sharp on screens and fine to print (`export png`, the page). */
export const SHEET_PNG_WIDTH = 2480;

/**
 * The width of the picture that goes with a summary or a digest: the sheet at its own size (one unit
 * of its 1680 × 1188 drawing to a pixel), what a chat shows, drawn and sent in half the time of A3.
 */
export const CHAT_PNG_WIDTH = 1680;

/**
 * Rasterises a sheet with the bundled fonts only: no system fonts, no network, the same pixels
 * everywhere. It runs on libuv's thread pool: drawing must not hold up the event loop that
 * acknowledges Slack within 3 s. The same sheet at the same width is drawn once: pictures are kept by
 * content (see `keptPictures`); do not modify the returned buffer.
 */
export async function svgToPng(svg: string, width = SHEET_PNG_WIDTH): Promise<Buffer> {
  const key = `${width}:${createHash('sha256').update(svg).digest('base64')}`;
  const kept = keptPictures.get(key);
  if (kept) return kept;
  const image = await renderAsync(svg, {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false, fontFiles: await fontFilesFor(svg), defaultFontFamily: 'DejaVu Sans' },
  });
  const png = image.asPng();
  keptPictures.set(key, png);
  return png;
}

export function renderCanvasPng(canvas: CompiledCanvas, width = SHEET_PNG_WIDTH): Promise<Buffer> {
  return svgToPng(renderCanvasSvg(canvas), width);
}

/**
 * Pictures already drawn, by width and SVG hash, the least recently used dropped past `maxBytes`: a
 * digest or summary of a campaign that did not change since, the page's PNG asked again, cost nothing.
 * In memory only: a picture is a few hundred KB, too much to keep per campaign in Redis.
 */
export class PictureCache {
  private readonly pictures = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    const png = this.pictures.get(key);
    if (png) {
      this.pictures.delete(key);
      this.pictures.set(key, png);
    }
    return png;
  }

  set(key: string, png: Buffer): void {
    if (png.length > this.maxBytes || this.pictures.has(key)) return;
    this.pictures.set(key, png);
    this.bytes += png.length;
    for (const [oldest, old] of this.pictures) {
      if (this.bytes <= this.maxBytes) break;
      this.pictures.delete(oldest);
      this.bytes -= old.length;
    }
  }

  get size(): number {
    return this.pictures.size;
  }

  clear(): void {
    this.pictures.clear();
    this.bytes = 0;
  }
}

export const keptPictures = new PictureCache(64 * 1024 * 1024);
