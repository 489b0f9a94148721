import type { CompiledCanvas } from '../canvas/canvas-types.js';
import { ficheAnchor, ficheHeading, ficheSections } from './canvas-page-fiches.js';
import { html, type PageFormat, pageFormat, progressBar } from './canvas-page-markup.js';
import { contributorsSection, ostromSection } from './canvas-page-ostrom.js';
import { CANVAS_PAGE_STYLE } from './canvas-page-style.js';
import { type SheetLinks, synthesisSection } from './canvas-page-synthesis.js';
import { type PageWords, WORDS } from './canvas-page-words.js';

export type { SheetLinks } from './canvas-page-synthesis.js';

/**
 * The compiled canvas as one self-contained, script-free page in the campaign's language: synthesis
 * first, then each fiche in full, Ostrom's principles and the contributors. `links` adds the sheet
 * downloads (the route knows the key; the canvas does not).
 */
export function renderCanvasPage(canvas: CompiledCanvas, links?: SheetLinks): string {
  const lang = canvas.campaign.lang;
  const words = WORDS[lang];
  const format = pageFormat(lang, canvas.campaign.tz);
  const name = canvas.campaign.name;
  const title = name === canvas.template.name ? name : `${name} · ${canvas.template.name}`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${html(title)}</title>
<style>${CANVAS_PAGE_STYLE}</style>
</head>
<body>
<a class="skip" href="#main">${html(words.skip)}</a>
${pageHeader(canvas, words, format)}
<main id="main" class="wrap" tabindex="-1">
${synthesisSection(canvas, words, links)}
${ficheSections(canvas, words, format)}
${ostromSection(canvas, words)}
${contributorsSection(canvas, words)}
</main>
<footer class="bottom"><div class="wrap"><p>${html(canvas.template.credit)}</p><p>${html(
    words.generatedOn(format.date(canvas.generatedAt)),
  )}</p></div></footer>
</body>
</html>
`;
}

function pageHeader(canvas: CompiledCanvas, words: PageWords, format: PageFormat): string {
  const { campaign, progress } = canvas;
  const kicker =
    campaign.name === canvas.template.name ? '' : `<p class="kicker">${html(canvas.template.name)}</p>`;
  const meta = [
    words.status[campaign.status],
    campaign.startedAt ? words.startedOn(format.date(campaign.startedAt)) : '',
    words.contributors(canvas.contributorCount),
    words.answers(canvas.totalAnswers),
  ].filter((part) => part !== '');
  const bar = progressBar(
    'progress-all',
    words.progress,
    progress.answered,
    progress.total,
    `${words.blocksAnswered(progress.answered, progress.total)} (${format.percent(progress.ratio)})`,
  );
  const nav = [
    `<li><a href="#synthesis">${html(words.synthesis)}</a></li>`,
    ...canvas.fiches.map((f) => `<li><a href="#${ficheAnchor(f)}">${html(ficheHeading(f, words))}</a></li>`),
    `<li><a href="#ostrom">${html(words.ostrom)}</a></li>`,
    `<li><a href="#people">${html(words.people)}</a></li>`,
  ].join('');
  return `<header class="top"><div class="wrap">
${kicker}<h1>${html(campaign.name)}</h1>
<p class="meta">${meta.map(html).join(' · ')}</p>
${bar}
<nav aria-label="${html(words.contents)}"><ul>${nav}</ul></nav>
</div></header>`;
}
