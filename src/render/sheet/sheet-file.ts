import type { CompiledCanvas } from '../../canvas/canvas-types.js';

/**
 * The sheet's file name, without extension, from the campaign's name in plain ASCII so it survives
 * every file system and chat client ("Vélocarte 2027" → canevas-velocarte-2027).
 */
export function sheetFileName(canvas: CompiledCanvas): string {
  const slug = canvas.campaign.name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  if (slug === '') return 'canevas';
  return slug.startsWith('canevas') ? slug : `canevas-${slug}`;
}
