import { createReadStream } from 'node:fs';
import { SHEET_FONTS } from '../render/sheet/fonts.js';
import type { RequestHandler } from './http-server.js';

/** The URL names of the sheet's fonts, relative to the canvas page (`/canvas/fonts/…`). */
const FILES: Record<string, () => string> = {
  'DejaVuSans.ttf': SHEET_FONTS.regular,
  'DejaVuSans-Bold.ttf': SHEET_FONTS.bold,
  'NotoEmoji.ttf': SHEET_FONTS.emoji,
};

const PATH = /^\/canvas\/fonts\/([A-Za-z-]+\.ttf)$/;

/**
 * GET /canvas/fonts/<file>: the fonts the sheet is measured with, for browsers that do not have them,
 * so the sheet on the page (and its print) keeps every line inside its box. Public and cacheable:
 * they are the same open fonts for everyone.
 */
export function sheetFontsRoute(): RequestHandler {
  return async (req, res) => {
    const name = PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname)?.[1];
    const file = name === undefined ? undefined : FILES[name];
    if (req.method !== 'GET' || !file) return false;
    res.writeHead(200, {
      'content-type': 'font/ttf',
      'cache-control': 'public, max-age=604800',
      'x-content-type-options': 'nosniff',
    });
    await new Promise<void>((resolve, reject) => {
      createReadStream(file()).on('error', reject).pipe(res).on('finish', resolve);
    });
    return true;
  };
}
