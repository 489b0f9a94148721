/** Whether XML 1.0 allows a code point (a lone surrogate shows up on its own when iterating). */
function allowedInXml(cp: number): boolean {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return cp !== 0xfffe && cp !== 0xffff;
}

/**
 * Text or attribute content made inert in SVG: no markup, no entity. Characters XML rejects are left
 * out of the drawing (never out of the store): one of them would make the whole sheet unreadable.
 */
export function xml(text: string): string {
  return escapeMarkup(drawable(text));
}

/** `& < > " '` as numeric references: inert in HTML and XML text and attribute values alike. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A text without the characters XML rejects, so what is measured is what is drawn. */
export function drawable(text: string): string {
  let clean = '';
  for (const char of text) if (allowedInXml(char.codePointAt(0) as number)) clean += char;
  return clean;
}

/** Coordinates rounded to a tenth: smaller files, identical pictures. */
export function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}
