import type { CompiledBlock } from '../../canvas/canvas-types.js';
import { isolate, startsRtl } from './bidi.js';
import { measureText } from './font-metrics.js';
import { boxed, line, MUTED, type Rect, type Run, rect } from './sheet-draw.js';
import type { SheetWords } from './sheet-words.js';
import { fitLine, type TextStyle, wrapText } from './text-fit.js';

const PAD = 8;
const TITLE: TextStyle = { size: 12.5, weight: 'bold' };
const COUNT: TextStyle = { size: 10, weight: 'regular' };
const TEXT: TextStyle = { size: 11, weight: 'regular' };
const AUTHOR: TextStyle = { size: 11, weight: 'bold' };
const TITLE_LINE = 16;
const TEXT_LINE = 14.5;
const EXCERPT_GAP = 4;
/** An answer shows at most this many lines: the sheet gives a glimpse, the page gives everything. */
const MAX_EXCERPT_LINES = 3;
const MAX_NAME_SHARE = 0.4;
const SHEET_CAP = 1200;

export interface CellColours {
  title: string;
  fill: string;
}

function titleLines(block: CompiledBlock, width: number, words: SheetWords) {
  const count = words.answers(block.count);
  const countWidth = measureText(count, COUNT.size);
  return { count, lines: wrapText(block.title, width - countWidth - 6, TITLE, 2).lines };
}

function authorPrefix(name: string, width: number): string {
  return `${isolate(fitLine(name, width * MAX_NAME_SHARE, AUTHOR))} · `;
}

/** What a cell quotes, in order: the agreed shared statement first (the « nous »), then the answers. */
function excerptsOf(block: CompiledBlock, words: SheetWords): { name: string; text: string }[] {
  const agreed =
    block.statement.status === 'agreed' && block.statement.text !== undefined
      ? [{ name: words.agreed, text: block.statement.text }]
      : [];
  return [...agreed, ...block.answers.map((a) => ({ name: a.author.name, text: a.text }))];
}

/** The height a block would take with every answer's excerpt shown: what it asks of a column. */
export function desiredCellHeight(block: CompiledBlock, width: number, words: SheetWords): number {
  const inner = width - 2 * PAD;
  const title = titleLines(block, inner, words).lines.length * TITLE_LINE;
  if (block.gap) return 2 * PAD + title + TEXT_LINE + 2;
  let body = 0;
  for (const answer of excerptsOf(block, words)) {
    // Past a full sheet's height, more answers change nothing: the cell gets what is left anyway.
    if (body > SHEET_CAP) break;
    const indent = measureText(authorPrefix(answer.name, inner), AUTHOR.size, 'bold');
    const lines = wrapText(answer.text, inner, TEXT, MAX_EXCERPT_LINES, indent).lines.length;
    body += lines * TEXT_LINE + EXCERPT_GAP;
  }
  return 2 * PAD + title + body + 2;
}

/** The least a block needs: its title and one line (a gap notice, or one excerpt line). */
export function minimumCellHeight(block: CompiledBlock, width: number, words: SheetWords): number {
  return 2 * PAD + titleLines(block, width - 2 * PAD, words).lines.length * TITLE_LINE + TEXT_LINE + 2;
}

/**
 * One block of the synthesis: its title, then short excerpts of its answers with who wrote them, as
 * many as fit; the rest is counted ("+ 3 more"). A block nobody answered is drawn as a gap.
 */
export function drawCell(block: CompiledBlock, box: Rect, colours: CellColours, words: SheetWords): string {
  const inner = box.w - 2 * PAD;
  const x = box.x + PAD;
  const bottom = box.y + box.h - PAD;
  const parts: string[] = [];
  parts.push(
    rect(
      box,
      block.gap
        ? 'rx="4" fill="#ffffff" fill-opacity="0.6" stroke="#8c8c8c" stroke-dasharray="5 3"'
        : 'rx="4" fill="#ffffff" stroke="#d0d0d0"',
    ),
  );
  const title = titleLines(block, inner, words);
  let y = box.y + PAD + TITLE.size;
  parts.push(line(box.x + box.w - PAD, y, [{ text: title.count, style: COUNT, fill: MUTED }], 'end'));
  for (const text of title.lines) {
    parts.push(line(x, y, [{ text, style: TITLE, fill: colours.title }]));
    y += TITLE_LINE;
  }
  y += TEXT.size - TITLE.size + 2;
  if (block.gap) {
    parts.push(line(x, y, [{ text: fitLine(words.gap, inner, TEXT), style: TEXT, fill: MUTED }]));
    return boxed('cell', box, parts.join(''), ` data-block="${block.id}" data-gap="true"`);
  }
  const answers = excerptsOf(block, words);
  let shown = 0;
  for (const [index, answer] of answers.entries()) {
    const isLast = index === answers.length - 1;
    // Room for a "+ n more" line is kept unless this is the last answer.
    const room = bottom - y + TEXT.size - (isLast ? 0 : TEXT_LINE);
    const maxLines = Math.min(MAX_EXCERPT_LINES, Math.floor(room / TEXT_LINE));
    if (maxLines < 1) break;
    const prefix = authorPrefix(answer.name, inner);
    const indent = measureText(prefix, AUTHOR.size, 'bold');
    const wrapped = wrapText(answer.text, inner, TEXT, maxLines, indent);
    // A Hebrew or Arabic answer reads from the right edge, its author's name first, on the right.
    const rtl = startsRtl(answer.text);
    for (const [i, text] of wrapped.lines.entries()) {
      const runs: Run[] = i === 0 ? [{ text: prefix, style: AUTHOR, fill: colours.title }] : [];
      runs.push({ text, style: TEXT });
      parts.push(rtl ? line(x + inner, y, runs, 'end', true) : line(x, y, runs, 'start', false));
      y += TEXT_LINE;
    }
    y += EXCERPT_GAP;
    shown++;
  }
  // The agreed statement is not an answer: "+ n more" counts answers only.
  const hidden = answers.length - shown;
  if (hidden > 0) {
    parts.push(line(x, y, [{ text: fitLine(words.more(hidden), inner, COUNT), style: COUNT, fill: MUTED }]));
  }
  return boxed('cell', box, parts.join(''), ` data-block="${block.id}" data-shown="${shown}"`);
}
