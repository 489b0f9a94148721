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

export interface CsvOptions {
  /** Every cell exactly as written, and no byte-order mark: for programs, not spreadsheets. */
  raw?: boolean;
}

/** What spreadsheet apps read as the start of a formula (or of a command, for tab and CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** So that Excel, LibreOffice and Sheets open « Zoé » as UTF-8 rather than guessing a code page. */
const BOM = '\uFEFF';

/**
 * RFC 4180: quoted only when needed, inner quotes doubled. A cell a spreadsheet would run as a formula
 * (`=HYPERLINK(…)`, `@SUM(…)`, `+1+1`) starts with an apostrophe, which spreadsheets take as "text" and
 * do not show; `raw` keeps it exactly as written.
 */
function csvField(value: string, raw: boolean): string {
  const safe = !raw && FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per active answer, in canvas order (fiche, block, then oldest answer first); CRLF line ends. */
export function exportCsv(canvas: CompiledCanvas, { raw = false }: CsvOptions = {}): ExportFile {
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
    data: `${raw ? '' : BOM}${rows.map((row) => row.map((v) => csvField(v, raw)).join(',')).join('\r\n')}\r\n`,
  };
}
