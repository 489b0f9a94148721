import type { CompiledArea, CompiledBlock, CompiledCanvas } from '../canvas/canvas-types.js';
import { renderCanvasSvg } from '../render/sheet/canvas-svg.js';
import { excerpt } from '../render/view-helpers.js';
import { blockAnchor, gapText, html } from './canvas-page-markup.js';
import type { PageWords } from './canvas-page-words.js';

/** Where the page links for the sheet image; absent when the page is rendered without a key. */
export interface SheetLinks {
  svg: string;
  png: string;
}

const EXCERPTS_PER_BLOCK = 2;
const PLACEMENT_ORDER = { header: 0, body: 1, footer: 2 } as const;

/**
 * The synthesis section: the areas as HTML (what a phone can read), then the A3 sheet itself (what
 * print shows). The print stylesheet relies on the figure being a direct child of the section, and
 * the section a direct child of `main`.
 */
export function synthesisSection(canvas: CompiledCanvas, words: PageWords, links?: SheetLinks): string {
  const areas = [...canvas.synthesis]
    .sort((a, b) => PLACEMENT_ORDER[a.placement] - PLACEMENT_ORDER[b.placement])
    .map((area) => areaCard(area, words))
    .join('');
  return `<section id="synthesis" aria-labelledby="synthesis-title">
<h2 id="synthesis-title">${html(words.synthesis)}</h2>
<p>${html(words.synthesisIntro)}</p>
${links ? downloadLinks(links, words) : ''}
<div class="areas">${areas}</div>
${sheetFigure(canvas, words)}
</section>`;
}

function downloadLinks(links: SheetLinks, words: PageWords): string {
  return `<ul class="downloads" aria-label="${html(words.download)}"><li><a class="button" href="${html(
    links.png,
  )}">${html(words.downloadPng)}</a></li><li><a class="button" href="${html(links.svg)}">${html(
    words.downloadSvg,
  )}</a></li></ul>`;
}

function areaCard(area: CompiledArea, words: PageWords): string {
  const gap = area.gap ? `<p class="gap-note">${gapText(words.gapArea)}</p>` : '';
  return `<section class="area area--${area.placement}" data-area="${html(area.id)}" data-gap="${area.gap}" aria-labelledby="area-${html(area.id)}">
<h3 id="area-${html(area.id)}">${html(area.title)} <span class="count">${html(words.answers(area.count))}</span></h3>
${gap}<ul class="area-blocks">${area.blocks.map((b) => areaBlock(b, words, area.gap)).join('')}</ul>
</section>`;
}

/** In an area that is a gap as a whole, its one notice says it; a tag on every block would be noise. */
function areaBlock(block: CompiledBlock, words: PageWords, areaIsGap: boolean): string {
  const link = `<a href="#${blockAnchor(block.id)}">${html(block.title)}</a>`;
  if (areaIsGap) return `<li class="area-block area-block--gap">${link}</li>`;
  if (block.gap) {
    return `<li class="area-block area-block--gap">${link} <span class="gap-tag">${gapText(words.gap)}</span></li>`;
  }
  const shown = block.answers.slice(0, EXCERPTS_PER_BLOCK);
  const rest = block.answers.length - shown.length;
  const quotes = shown
    .map(
      (a) =>
        `<li><q>${html(excerpt(a.text, 140))}</q> <span class="who">${html(words.by)} ${html(a.author.name)}</span></li>`,
    )
    .join('');
  const more = rest > 0 ? `<p class="more">${html(words.more(rest))}</p>` : '';
  return `<li class="area-block">${link} <span class="count">${html(words.answers(block.count))}</span><ul class="excerpts">${quotes}</ul>${more}</li>`;
}

function sheetFigure(canvas: CompiledCanvas, words: PageWords): string {
  return `<figure class="sheet"><div class="sheet-scroll" tabindex="0" role="group" aria-label="${html(
    words.sheetLabel,
  )}">${inlineSvg(renderCanvasSvg(canvas), words.sheetLabel)}</div><figcaption>${html(
    words.sheetCaption,
  )}</figcaption></figure>`;
}

/**
 * The sheet is a standalone document sized 420 × 297 mm; inline, its fixed size would overflow the
 * page margins in print and a phone on screen, so the root's width and height give way to the
 * stylesheet (the viewBox keeps the proportions). The renderer escapes the member text it draws, and
 * the CSP forbids scripts, so the markup is inserted as it comes.
 */
export function inlineSvg(svg: string, label: string): string {
  const body = svg.replace(/^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?/i, '');
  return body.replace(/<svg\b[^>]*>/, (tag) => {
    let root = tag.replace(/\s(?:width|height)\s*=\s*(?:"[^"]*"|'[^']*')/g, '');
    // The sheet may name itself (its own <title>); only a sheet that does not gets the page's label.
    if (!/\saria-label(?:ledby)?\s*=/.test(root))
      root = root.replace(/^<svg\b/, `<svg aria-label="${html(label)}"`);
    if (!/\srole\s*=/.test(root)) root = root.replace(/^<svg\b/, '<svg role="img"');
    return root;
  });
}
