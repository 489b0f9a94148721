import { startsRtl } from './bidi.js';
import { fontRuns, measureText, type SheetFont } from './font-metrics.js';
import { n, xml } from './svg-markup.js';
import type { TextStyle } from './text-fit.js';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One run of a line; runs of a line are drawn one after the other. */
export interface Run {
  text: string;
  style: TextStyle;
  fill?: string;
}

export const INK = '#1a1a1a';
export const MUTED = '#4a4a4a';

function attributes(run: Run, font: SheetFont): string {
  const family = font === 'emoji' ? ' font-family="Noto Emoji"' : '';
  const weight = run.style.weight === 'bold' && font === 'text' ? ' font-weight="bold"' : '';
  const fill = run.fill && run.fill !== INK ? ` fill="${run.fill}"` : '';
  return `font-size="${n(run.style.size)}"${family}${weight}${fill}`;
}

// Embedding marks: the renderer lays a line out left to right unless told; these make it a
// right-to-left paragraph (resvg 2.6 ignores the SVG `direction` attribute).
const RTL_EMBEDDING = '\u202B';
const POP_DIRECTION = '\u202C';

/**
 * A line of text whose baseline is at `y`; `anchor: 'end'` aligns it on `x` from the right. A
 * right-to-left line (by default: one whose first letter is Hebrew, Arabic…) reads from the right;
 * the caller decides for a whole paragraph, so its lines agree.
 */
export function line(
  x: number,
  y: number,
  runs: Run[],
  anchor: 'start' | 'end' = 'start',
  rtl = startsRtl(runs.map((r) => r.text).join('')),
): string {
  const pieces = runs.flatMap((run) =>
    fontRuns(run.text, run.style.weight).map((piece) => ({ run, ...piece })),
  );
  if (pieces.length === 0) return '';
  const content = (text: string) => xml(rtl ? `${RTL_EMBEDDING}${text}${POP_DIRECTION}` : text);
  if (pieces.every((p) => p.font === 'text')) {
    const align = anchor === 'end' ? ' text-anchor="end"' : '';
    const last = pieces.length - 1;
    const spans = pieces
      .map((p, i) => {
        const text = `${rtl && i === 0 ? RTL_EMBEDDING : ''}${p.text}${rtl && i === last ? POP_DIRECTION : ''}`;
        return `<tspan ${attributes(p.run, p.font)}>${xml(text)}</tspan>`;
      })
      .join('');
    return `<text x="${n(x)}" y="${n(y)}"${align} fill="${INK}">${spans}</text>`;
  }
  // Mixed fonts: each piece is its own text element, placed by measured widths (see fontRuns); a
  // right-to-left line places its pieces from the right.
  const ordered = rtl ? [...pieces].reverse() : pieces;
  const widths = ordered.map((p) => measureText(p.text, p.run.style.size, p.run.style.weight));
  let at = anchor === 'end' ? x - widths.reduce((a, b) => a + b, 0) : x;
  return ordered
    .map((p, i) => {
      const fill = p.run.fill && p.run.fill !== INK ? '' : ` fill="${INK}"`;
      const text = `<text x="${n(at)}" y="${n(y)}"${fill} ${attributes(p.run, p.font)}>${content(p.text)}</text>`;
      at += widths[i] as number;
      return text;
    })
    .join('');
}

/**
 * A group of drawings that must stay inside `box`: the tests render every group on its own and check
 * that what is drawn (text included) stays inside the box it declares.
 */
export function boxed(role: string, box: Rect, content: string, extra = ''): string {
  return `<g data-role="${role}" data-box="${n(box.x)} ${n(box.y)} ${n(box.w)} ${n(box.h)}"${extra}>${content}</g>`;
}

export function rect(box: Rect, attrs: string): string {
  return `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.w)}" height="${n(box.h)}" ${attrs}/>`;
}

/** Splits `total` into `count` equal parts separated by `gap`. */
export function split(
  start: number,
  total: number,
  count: number,
  gap: number,
): { at: number; size: number }[] {
  const size = (total - gap * (count - 1)) / count;
  return Array.from({ length: count }, (_, i) => ({ at: start + i * (size + gap), size }));
}
