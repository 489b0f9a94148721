import type { CompiledCanvas, CompiledPrinciple } from '../canvas/canvas-types.js';
import type { OstromRating } from '../facilitation/types.js';
import { blockAnchor, gapText, html } from './canvas-page-markup.js';
import type { PageWords } from './canvas-page-words.js';

/** The same answers read against Ostrom's design principles; a principle nobody spoke to is a gap. */
export function ostromSection(canvas: CompiledCanvas, words: PageWords): string {
  return `<section id="ostrom" aria-labelledby="ostrom-title">
<h2 id="ostrom-title">${html(words.ostrom)}</h2>
<p>${html(words.ostromIntro)}</p>
<ol class="principles">${canvas.ostrom.map((p) => principleItem(p, words)).join('')}</ol>
</section>`;
}

function principleItem(principle: CompiledPrinciple, words: PageWords): string {
  const count = principle.blocks.reduce((n, b) => n + b.count, 0);
  const gap = !principle.hasAnswers;
  const state = gap
    ? `<p class="gap-note">${gapText(words.principleGap)}</p>`
    : `<p class="covered">${html(words.principleCovered(count))}</p>`;
  const blocks = principle.blocks
    .map(
      (b) =>
        `<li><a href="#${blockAnchor(b.id)}">${html(b.title)}</a> <span class="count">${html(words.answers(b.count))}</span></li>`,
    )
    .join('');
  return `<li class="principle${gap ? ' principle--gap' : ''}" data-principle="${html(principle.id)}" data-gap="${gap}">
<h3>${html(principle.title)}</h3>${spread(principle, words)}${state}<ul>${blocks}</ul></li>`;
}

/** How the members rated the principle near the end: the spread, not a verdict. */
function spread(principle: CompiledPrinciple, words: PageWords): string {
  const ratings = Object.entries(principle.ratings) as [OstromRating, number][];
  if (ratings.every(([, n]) => n === 0)) return '';
  const items = ratings.map(
    ([rating, n]) => `<li data-rating="${rating}">${html(words.rated(words.rating[rating], n))}</li>`,
  );
  return `<ul class="ratings" aria-label="${html(words.ratingsLabel)}">${items.join('')}</ul>${
    principle.open ? `<p class="open-question">${html(words.openPrinciple)}</p>` : ''
  }`;
}

export function contributorsSection(canvas: CompiledCanvas, words: PageWords): string {
  // An anonymous campaign counts its people and names none.
  const anonymous = canvas.campaign.anonymous
    ? `<p class="anonymous">${html(words.contributors(canvas.contributorCount))}. ${html(words.anonymous)}</p>`
    : '';
  const list =
    anonymous ||
    (canvas.contributors.length === 0
      ? `<p>${html(words.nobody)}</p>`
      : `<ul class="people">${canvas.contributors
          .map((c) => `<li>${html(c.name)} <span class="count">${html(words.answers(c.count))}</span></li>`)
          .join('')}</ul>`);
  return `<section id="people" aria-labelledby="people-title">
<h2 id="people-title">${html(words.people)}</h2>
${list}
</section>`;
}
