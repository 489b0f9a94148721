import type { CompiledCanvas } from '../canvas/canvas-types.js';

export interface ExportFile {
  filename: string;
  contentType: string;
  data: string;
}

export const CSV_COLUMNS = [
  'campaign_id',
  'fiche_id',
  'block_id',
  'block_title',
  'answer_id',
  'author_id',
  'author_name',
  'created_at',
  'updated_at',
  'edited',
  'text',
] as const;

/** RFC 4180: quoted only when needed, inner quotes doubled. The text is kept exactly as written. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row per active answer, in canvas order (fiche, block, then oldest answer first); CRLF line ends. */
export function exportCsv(canvas: CompiledCanvas): ExportFile {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const fiche of canvas.fiches) {
    for (const block of fiche.blocks) {
      for (const answer of block.answers) {
        rows.push([
          canvas.campaign.id,
          fiche.id,
          block.id,
          block.title,
          answer.id,
          answer.author.id,
          answer.author.name,
          answer.createdAt,
          answer.updatedAt,
          answer.edited ? 'true' : 'false',
          answer.text,
        ]);
      }
    }
  }
  return {
    filename: `canvas-${canvas.campaign.id}.csv`,
    contentType: 'text/csv; charset=utf-8',
    data: `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`,
  };
}
