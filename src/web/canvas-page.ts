import { timingSafeEqual } from 'node:crypto';
import type { CompiledBlock, CompiledCanvas } from '../canvas/canvas-types.js';
import { compileCanvas } from '../canvas/compile.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Campaign } from '../facilitation/types.js';
import type { CampaignStore } from '../store/types.js';
import { type RequestHandler, sendJson } from './http-server.js';

const PATH = /^\/canvas\/([A-Za-z0-9_.-]{1,128})$/;

const WORDS = {
  fr: {
    progress: 'Progression',
    synthesis: 'Synthèse',
    gap: 'Pas encore de réponse',
    edited: 'modifiée',
    by: 'par',
  },
  en: { progress: 'Progress', synthesis: 'Synthesis', gap: 'No answer yet', edited: 'edited', by: 'by' },
};

/**
 * GET /canvas/:campaignId?key=… : the compiled canvas as a plain, accessible page. A wrong or missing
 * key gets the same 404 as an unknown campaign, so ids cannot be probed.
 */
export function canvasPageRoute(deps: {
  store: CampaignStore;
  templateOf(campaign: Campaign): Promise<CanvasTemplate>;
}): RequestHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = PATH.exec(url.pathname);
    if (req.method !== 'GET' || !match?.[1]) return false;
    const campaign = await deps.store.get(match[1]);
    if (!campaign || !sameKey(campaign.key, url.searchParams.get('key') ?? '')) {
      sendJson(res, 404, { ok: false, error: 'not-found' });
      return true;
    }
    const canvas = compileCanvas(campaign, await deps.templateOf(campaign), new Date());
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'referrer-policy': 'no-referrer',
    });
    res.end(renderCanvasPage(canvas));
    return true;
  };
}

function sameKey(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

function renderBlock(block: CompiledBlock, words: (typeof WORDS)['fr']): string {
  const answers = block.gap
    ? `<p class="gap">${words.gap}</p>`
    : `<ul>${block.answers
        .map(
          (a) =>
            `<li><blockquote>${html(a.text)}</blockquote><p class="who">${words.by} ${html(a.author.name)}${
              a.edited ? ` (${words.edited})` : ''
            }</p></li>`,
        )
        .join('')}</ul>`;
  return `<section><h3>${html(block.title)}</h3><p class="q">${html(block.question)}</p>${answers}</section>`;
}

export function renderCanvasPage(canvas: CompiledCanvas): string {
  const lang = canvas.campaign.lang;
  const words = WORDS[lang];
  const synthesis = canvas.synthesis
    .map(
      (area) =>
        `<section class="area"><h3>${html(area.title)}</h3>${
          area.gap
            ? `<p class="gap">${words.gap}</p>`
            : `<ul>${area.blocks.map((b) => `<li>${html(b.title)}: ${b.count}</li>`).join('')}</ul>`
        }</section>`,
    )
    .join('');
  const fiches = canvas.fiches
    .map(
      (f) =>
        `<section><h2>${f.number}. ${html(f.title)} <small>${f.answered}/${f.total} · ${percent(f.ratio)}</small></h2>${f.blocks
          .map((b) => renderBlock(b, words))
          .join('')}</section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(canvas.template.name)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;color:#1a1a1a}
blockquote{margin:0;white-space:pre-wrap}.gap{color:#8a4b00;font-style:italic}.who,.q{color:#444}
.areas{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.5rem}.area{border:1px solid #999;padding:.5rem}
ul{padding-left:1.2rem}small{font-weight:normal;color:#444}</style></head>
<body><header><h1>${html(canvas.template.name)}</h1>
<p>${words.progress}: ${canvas.progress.answered}/${canvas.progress.total} · ${percent(canvas.progress.ratio)}</p></header>
<main><h2>${words.synthesis}</h2><div class="areas">${synthesis}</div>${fiches}</main>
<footer><p>${html(canvas.template.credit)}</p></footer></body></html>`;
}
