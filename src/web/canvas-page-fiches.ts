import type { CompiledAnswer, CompiledBlock, CompiledCanvas, CompiledFiche } from '../canvas/canvas-types.js';
import { blockAnchor, gapText, html, type PageFormat, progressBar, timeTag } from './canvas-page-markup.js';
import type { PageWords } from './canvas-page-words.js';

export function ficheAnchor(fiche: CompiledFiche): string {
  return `fiche-${fiche.number}`;
}

export function ficheHeading(fiche: CompiledFiche, words: PageWords): string {
  return `${words.fiche(fiche.number)} · ${fiche.title}`;
}

/** Each fiche in full: every block's question and every active answer, gaps included. */
export function ficheSections(canvas: CompiledCanvas, words: PageWords, format: PageFormat): string {
  return canvas.fiches.map((fiche) => ficheSection(fiche, words, format)).join('\n');
}

function ficheSection(fiche: CompiledFiche, words: PageWords, format: PageFormat): string {
  const anchor = ficheAnchor(fiche);
  const bar = progressBar(
    `${anchor}-progress`,
    words.progress,
    fiche.answered,
    fiche.total,
    `${words.blocksAnswered(fiche.answered, fiche.total)} (${format.percent(fiche.ratio)})`,
  );
  return `<section class="fiche" id="${anchor}" data-fiche="${html(fiche.id)}" aria-labelledby="${anchor}-title">
<h2 id="${anchor}-title">${html(ficheHeading(fiche, words))}</h2>
${bar}
${fiche.blocks.map((block) => blockArticle(block, words, format)).join('\n')}
</section>`;
}

function blockArticle(block: CompiledBlock, words: PageWords, format: PageFormat): string {
  const anchor = blockAnchor(block.id);
  const answers = block.gap
    ? `<p class="gap-note">${gapText(words.gap)}</p>`
    : `<ol class="answers">${block.answers.map((a) => answerItem(a, words, format)).join('')}</ol>`;
  // Removed at their authors' request: counted here, never described.
  const forgotten =
    block.forgotten > 0 ? `\n<p class="forgotten">${html(words.forgotten(block.forgotten))}</p>` : '';
  const body = `${answers}${forgotten}`;
  return `<article class="block${block.gap ? ' block--gap' : ''}" id="${anchor}" data-block="${html(block.id)}" data-gap="${block.gap}" aria-labelledby="${anchor}-title">
<h3 id="${anchor}-title">${html(block.title)}</h3>
<p class="block-meta"><span class="count">${html(words.answers(block.count))}</span> · <span class="status">${html(
    words.question[block.status],
  )}</span></p>
<p class="question"><strong>${html(words.questionLabel)}</strong> ${html(block.question)}</p>
${statementBox(block, words)}${body}
</article>`;
}

/** The block's shared version before its answers: the community's words first, each person's after. */
function statementBox(block: CompiledBlock, words: PageWords): string {
  const s = block.statement;
  if (s.status === 'none' || s.text === undefined) return '';
  const version = s.versions.length > 1 ? ` · ${html(words.statementVersion(s.versions.length))}` : '';
  const objections = s.stances
    .filter((x) => x.stance === 'objection')
    .map((x) => `<li><strong>${html(x.author.name)}</strong>${x.reason ? `: ${html(x.reason)}` : ''}</li>`)
    .join('');
  return `<section class="statement statement--${s.status}" data-statement="${s.status}"><h4>${html(
    words.statement[s.status],
  )}${version}</h4><p>${html(s.text)}</p>${objections ? `<ul class="objections">${objections}</ul>` : ''}</section>
`;
}

function answerItem(answer: CompiledAnswer, words: PageWords, format: PageFormat): string {
  const edited = answer.edited
    ? ` · <span class="edited">${html(words.edited)}</span> <span class="edited-on">(${timeTag(answer.updatedAt, format)})</span>`
    : '';
  return `<li class="answer" data-answer="${html(answer.id)}" data-edited="${answer.edited}"><blockquote>${html(
    answer.text,
  )}</blockquote><p class="who">${html(words.by)} <strong>${html(answer.author.name)}</strong>, ${timeTag(
    answer.createdAt,
    format,
  )}${edited}${supportOf(answer, words)}${
    answer.permalink ? ` · <a href="${html(answer.permalink)}">${html(words.link)}</a>` : ''
  }</p></li>`;
}

function supportOf(answer: CompiledAnswer, words: PageWords): string {
  const { agree, disagree } = answer.support;
  const parts = [
    ...(agree > 0 ? [`<span class="agree" title="${html(words.agree)}">👍 ${agree}</span>`] : []),
    ...(disagree > 0 ? [`<span class="disagree" title="${html(words.disagree)}">👎 ${disagree}</span>`] : []),
  ];
  return parts.length > 0 ? ` · ${parts.join(' ')}` : '';
}
