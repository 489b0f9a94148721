import type { CompiledCanvas } from '../../canvas/canvas-types.js';

/**
 * The synthesis canvas as an A3 landscape sheet (420 × 297 mm) in SVG, made from the campaign's own
 * answers. Self-contained: fonts are named by family and supplied by the PNG renderer (or the browser).
 * STUB: replaced by the real layout in this session.
 */
export function renderCanvasSvg(canvas: CompiledCanvas): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const areas = canvas.synthesis
    .map((a, i) => `<text x="40" y="${120 + i * 40}" font-size="24">${esc(a.title)}: ${a.count}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="420mm" height="297mm" viewBox="0 0 1680 1188" font-family="DejaVu Sans"><rect width="1680" height="1188" fill="#fff"/><text x="40" y="60" font-size="36">${esc(canvas.template.name)}</text>${areas}</svg>`;
}
