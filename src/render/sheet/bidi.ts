// Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const STRONG = /[\p{L}]/u;

/**
 * Whether a text reads right to left: its first letter outside isolates (names, see `isolate`) is
 * from a right-to-left script, as the Unicode bidi algorithm decides a paragraph's direction.
 */
export function startsRtl(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char >= '\u2066' && char <= '\u2068') depth++;
    else if (char === '\u2069') depth = Math.max(0, depth - 1);
    else if (depth === 0 && STRONG.test(char)) return RTL.test(char);
  }
  return false;
}

/**
 * Wraps a name in first-strong isolates, so a Hebrew or Arabic name beside Latin text (a list of
 * names, "name · answer") keeps its own direction without reordering what surrounds it.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
