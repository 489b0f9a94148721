import { readFileSync } from 'node:fs';
import { SHEET_FONTS } from './fonts.js';

/** Advance widths read from a TrueType font's cmap and hmtx tables: enough to measure a line of text. */
export interface FontMetrics {
  unitsPerEm: number;
  /** Advance of the glyph for a code point, in font units; undefined when the font lacks it. */
  advance(codePoint: number): number | undefined;
  /** Advance of the missing-glyph box the renderer draws when no font has a character. */
  notdefAdvance: number;
}

function tableOffsets(data: DataView): Map<string, number> {
  const tables = new Map<string, number>();
  const count = data.getUint16(4);
  for (let i = 0; i < count; i++) {
    const record = 12 + i * 16;
    const tag = String.fromCharCode(
      data.getUint8(record),
      data.getUint8(record + 1),
      data.getUint8(record + 2),
      data.getUint8(record + 3),
    );
    tables.set(tag, data.getUint32(record + 8));
  }
  return tables;
}

function required(tables: Map<string, number>, tag: string): number {
  const offset = tables.get(tag);
  if (offset === undefined) throw new Error(`font has no ${tag} table`);
  return offset;
}

/** Format 12 (full Unicode) groups: start, end, first glyph. */
function format12(data: DataView, at: number): (cp: number) => number {
  const groups = data.getUint32(at + 12);
  return (cp) => {
    let lo = 0;
    let hi = groups - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const group = at + 16 + mid * 12;
      const start = data.getUint32(group);
      const end = data.getUint32(group + 4);
      if (cp < start) hi = mid - 1;
      else if (cp > end) lo = mid + 1;
      else return data.getUint32(group + 8) + (cp - start);
    }
    return 0;
  };
}

/** Format 4 (Basic Multilingual Plane) segments. */
function format4(data: DataView, at: number): (cp: number) => number {
  const segments = data.getUint16(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let i = 0; i < segments; i++) {
      if (cp > data.getUint16(ends + i * 2)) continue;
      const start = data.getUint16(starts + i * 2);
      if (cp < start) return 0;
      const delta = data.getInt16(deltas + i * 2);
      const rangeOffset = data.getUint16(rangeOffsets + i * 2);
      if (rangeOffset === 0) return (cp + delta) & 0xffff;
      const glyph = data.getUint16(rangeOffsets + i * 2 + rangeOffset + (cp - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

function glyphLookup(data: DataView, cmap: number): (cp: number) => number {
  const count = data.getUint16(cmap + 2);
  let best: ((cp: number) => number) | undefined;
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + i * 8;
    const platform = data.getUint16(record);
    const encoding = data.getUint16(record + 2);
    const subtable = cmap + data.getUint32(record + 4);
    const format = data.getUint16(subtable);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12) return format12(data, subtable);
    if (format === 4) best ??= format4(data, subtable);
  }
  if (!best) throw new Error('font has no Unicode cmap');
  return best;
}

function parseFontMetrics(bytes: Uint8Array): FontMetrics {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = tableOffsets(data);
  const unitsPerEm = data.getUint16(required(tables, 'head') + 18);
  const longMetrics = data.getUint16(required(tables, 'hhea') + 34);
  const hmtx = required(tables, 'hmtx');
  const glyphOf = glyphLookup(data, required(tables, 'cmap'));
  // Glyphs past the long metrics share the last advance (monospaced tails).
  const advanceOf = (glyph: number) => data.getUint16(hmtx + Math.min(glyph, longMetrics - 1) * 4);
  const cache = new Map<number, number | undefined>();
  return {
    unitsPerEm,
    notdefAdvance: advanceOf(0),
    advance(cp) {
      if (cache.has(cp)) return cache.get(cp);
      const glyph = glyphOf(cp);
      const width = glyph === 0 ? undefined : advanceOf(glyph);
      cache.set(cp, width);
      return width;
    },
  };
}

export type FontWeight = 'regular' | 'bold';

let loaded: { regular: FontMetrics; bold: FontMetrics; emoji: FontMetrics } | undefined;

function sheetFonts() {
  loaded ??= {
    regular: parseFontMetrics(readFileSync(SHEET_FONTS.regular())),
    bold: parseFontMetrics(readFileSync(SHEET_FONTS.bold())),
    emoji: parseFontMetrics(readFileSync(SHEET_FONTS.emoji())),
  };
  return loaded;
}

// Marks, joiners, variation selectors and bidi controls take no room of their own.
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u;
// Asks for the emoji form of a character the text font also has (❤️, ✔️).
const EMOJI_PRESENTATION = /\u{FE0F}|\u{200D}|[\u{1F3FB}-\u{1F3FF}]/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export type SheetFont = 'text' | 'emoji';

/** Which of the sheet's fonts draws a grapheme: emoji and emoji sequences go to the emoji font. */
function fontOf(grapheme: string, weight: FontWeight): SheetFont {
  const fonts = sheetFonts();
  const first = grapheme.codePointAt(0) as number;
  if (fonts.emoji.advance(first) === undefined) return 'text';
  if (fonts[weight].advance(first) === undefined || EMOJI_PRESENTATION.test(grapheme)) return 'emoji';
  return 'text';
}

function graphemeWidth(grapheme: string, font: SheetFont, weight: FontWeight): number {
  const fonts = sheetFonts();
  if (font === 'emoji') {
    // A sequence (family, flag, skin tone) is one glyph as wide as its first character.
    const advance = fonts.emoji.advance(grapheme.codePointAt(0) as number) ?? 0;
    return advance / fonts.emoji.unitsPerEm;
  }
  const primary = fonts[weight];
  let width = 0;
  for (const char of grapheme) {
    if (ZERO_WIDTH.test(char)) continue;
    width += (primary.advance(char.codePointAt(0) as number) ?? primary.notdefAdvance) / primary.unitsPerEm;
  }
  return width;
}

export interface FontRun {
  text: string;
  font: SheetFont;
}

/**
 * Splits a line into runs of one font each. The sheet draws each run with its font named, because the
 * renderer's own fallback between fonts loses glyphs (resvg 2.6 drops or boxes a line that mixes
 * fonts when a ligature follows an emoji).
 */
export function fontRuns(text: string, weight: FontWeight = 'regular'): FontRun[] {
  const runs: FontRun[] = [];
  for (const segment of splitGraphemes(text)) {
    const font = fontOf(segment, weight);
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += segment;
    else runs.push({ text: segment, font });
  }
  return runs;
}

/**
 * The width of a line drawn in the sheet's fonts. Kerning and the text font's ligatures only ever
 * narrow a line, so this errs on the wide side: a line measured to fit does fit.
 */
export function measureText(
  text: string,
  size: number,
  weight: FontWeight = 'regular',
  /** Stop once past this width: the caller only needs to know the text is too wide. */
  limit = Number.POSITIVE_INFINITY,
): number {
  let width = 0;
  for (const grapheme of splitGraphemes(text)) {
    width += graphemeWidth(grapheme, fontOf(grapheme, weight), weight) * size;
    if (width > limit) break;
  }
  return width;
}

/** The user-perceived characters of a text, lazily; an emoji sequence or a letter with its accents is one. */
export function* splitGraphemes(text: string): Generator<string> {
  for (let i = 0; i < text.length; i++) {
    // Below U+0300 every character is a grapheme of its own; only the rest needs the (slow) segmenter.
    if (text.charCodeAt(i) >= 0x300) {
      for (const { segment } of graphemes.segment(text.slice(i))) yield segment;
      return;
    }
    yield text[i] as string;
  }
}
