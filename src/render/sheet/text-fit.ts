import { type FontWeight, measureText, splitGraphemes } from './font-metrics.js';
import { drawable } from './svg-markup.js';

export interface TextStyle {
  size: number;
  weight: FontWeight;
}

export interface Wrapped {
  lines: string[];
  /** True when the text did not fit in the lines allowed and ends with an ellipsis. */
  cut: boolean;
}

const ELLIPSIS = '…';

/**
 * One paragraph on one line of words: line breaks and runs of spaces become single spaces. No-break
 * spaces stay, so French « : » or « ! » never starts a line of the sheet.
 */
function flatten(text: string): string {
  return drawable(text)
    .replace(/[^\S\u00A0\u202F]+/g, ' ')
    .trim();
}

function fits(text: string, width: number, style: TextStyle): boolean {
  return measureText(text, style.size, style.weight) <= width;
}

/** The longest run of whole graphemes (emoji stay whole) from the start of `text` that fits. */
function fittingPrefix(text: string, width: number, style: TextStyle): string {
  let line = '';
  let used = 0;
  for (const grapheme of splitGraphemes(text)) {
    // Widths add up: the measure has no kerning, so a prefix is measured one grapheme at a time.
    used += measureText(grapheme, style.size, style.weight);
    if (used > width) break;
    line += grapheme;
  }
  return line;
}

/** Cuts a line so that it and an ellipsis fit, at a word boundary when one is near. */
function withEllipsis(line: string, width: number, style: TextStyle): string {
  let kept = fittingPrefix(line, width - measureText(ELLIPSIS, style.size, style.weight), style);
  const space = kept.lastIndexOf(' ');
  if (space > kept.length * 0.6) kept = kept.slice(0, space);
  return `${kept.trimEnd()}${ELLIPSIS}`;
}

/**
 * Wraps a paragraph into at most `maxLines` lines of at most `width`, breaking between words, and
 * inside a word only when the word alone is wider than the line. Text that does not fit ends in "…".
 */
export function wrapText(
  text: string,
  width: number,
  style: TextStyle,
  maxLines: number,
  /** Room taken on the first line by something drawn before the text (an author's name). */
  indent = 0,
): Wrapped {
  if (maxLines < 1) return { lines: [], cut: flatten(text) !== '' };
  const lines: string[] = [];
  let rest = flatten(text);
  const room = () => (lines.length === 0 ? width - indent : width);
  while (rest !== '' && lines.length < maxLines) {
    const lineWidth = room();
    // A long text cannot fit on one line: skip measuring all of it.
    if (rest.length < 400 && fits(rest, lineWidth, style)) {
      lines.push(rest);
      rest = '';
      break;
    }
    let line = '';
    let used = 0;
    const space = measureText(' ', style.size, style.weight);
    for (const word of rest.split(' ')) {
      const gap = line === '' ? 0 : space;
      const added = gap + measureText(word, style.size, style.weight, lineWidth - used - gap);
      if (used + added > lineWidth) break;
      line = line === '' ? word : `${line} ${word}`;
      used += added;
    }
    let consumed = line.length;
    if (line === '') {
      line = fittingPrefix(rest, lineWidth, style);
      if (line === '' && lines.length === 0 && indent > 0) {
        // The name before it left no room: the text starts on the next line.
        lines.push('');
        continue;
      }
      // Not even one grapheme fits: the box is too narrow to say anything.
      if (line === '') break;
      consumed = line.length;
    }
    lines.push(line);
    rest = rest.slice(consumed).trimStart();
  }
  if (rest === '') return { lines, cut: false };
  const last = lines.pop() ?? '';
  const lastWidth = lines.length === 0 ? width - indent : width;
  lines.push(withEllipsis(last === '' ? rest : `${last} ${rest}`, lastWidth, style));
  return { lines, cut: true };
}

/** One line, cut with an ellipsis when too wide. */
export function fitLine(text: string, width: number, style: TextStyle): string {
  return wrapText(text, width, style, 1).lines[0] ?? '';
}
