// Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const STRONG = /[\p{L}]/u;

/** Whether a text reads right to left: its first letter is from a right-to-left script. */
export function startsRtl(text: string): boolean {
  for (const char of text) if (STRONG.test(char)) return RTL.test(char);
  return false;
}

/**
 * Wraps a name in first-strong isolates, so a Hebrew or Arabic name beside Latin text (a list of
 * names, "name · answer") keeps its own direction without reordering what surrounds it.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
