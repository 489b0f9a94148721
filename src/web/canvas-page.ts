import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { CompiledCanvas } from '../canvas/canvas-types.js';
import { compileCanvas } from '../canvas/compile.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Campaign } from '../facilitation/types.js';
import { renderCanvasPng } from '../render/sheet/canvas-png.js';
import { renderCanvasSvg } from '../render/sheet/canvas-svg.js';
import { sheetFileName } from '../render/sheet/sheet-file.js';
import type { CampaignStore } from '../store/types.js';
import { renderCanvasPage } from './canvas-page-html.js';
import { type RequestHandler, sendJson } from './http-server.js';
import { sheetFontsRoute } from './sheet-fonts-route.js';

export { renderCanvasPage, type SheetLinks } from './canvas-page-html.js';

/** `/canvas/<id>`, `/canvas/<id>.svg` or `/canvas/<id>.png`; ids never end in either suffix. */
const PATH = /^\/canvas\/([A-Za-z0-9_.-]{1,128}?)(?:\.(svg|png))?$/;

const HARDENING = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/**
 * GET /canvas/:campaignId?key=… : the compiled canvas as an accessible page, and its A3 sheet as
 * `.svg` or `.png`. A wrong or missing key gets the same 404 as an unknown campaign, so ids cannot be
 * probed.
 */
export function canvasPageRoute(deps: {
  store: CampaignStore;
  templateOf(campaign: Campaign): Promise<CanvasTemplate>;
}): RequestHandler {
  const fonts = sheetFontsRoute();
  return async (req, res) => {
    if (await fonts(req, res)) return true;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = PATH.exec(url.pathname);
    if (req.method !== 'GET' || !match?.[1]) return false;
    const key = url.searchParams.get('key') ?? '';
    const campaign = await deps.store.get(match[1]);
    if (!campaign || !sameKey(campaign.key, key)) {
      sendJson(res, 404, { ok: false, error: 'not-found' });
      return true;
    }
    const canvas = compileCanvas(campaign, await deps.templateOf(campaign), new Date());
    const format = match[2];
    if (format === 'svg' || format === 'png') await sendSheet(res, canvas, format);
    else sendPage(res, canvas, key);
    return true;
  };
}

function sendPage(res: ServerResponse, canvas: CompiledCanvas, key: string): void {
  // Relative to /canvas/, so the links survive a reverse proxy that mounts the app under a prefix.
  const base = encodeURIComponent(canvas.campaign.id);
  const query = `?key=${encodeURIComponent(key)}`;
  res.writeHead(200, {
    ...HARDENING,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self'; frame-ancestors 'none'",
  });
  res.end(renderCanvasPage(canvas, { svg: `${base}.svg${query}`, png: `${base}.png${query}` }));
}

async function sendSheet(res: ServerResponse, canvas: CompiledCanvas, format: 'svg' | 'png'): Promise<void> {
  const body = format === 'svg' ? renderCanvasSvg(canvas) : await renderCanvasPng(canvas);
  res.writeHead(200, {
    ...HARDENING,
    'content-type': format === 'svg' ? 'image/svg+xml; charset=utf-8' : 'image/png',
    // An SVG opened on its own is a document: it gets the same no-script policy as the page.
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
    'content-disposition': `attachment; filename="${sheetFileName(canvas)}.${format}"`,
  });
  res.end(body);
}

function sameKey(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
