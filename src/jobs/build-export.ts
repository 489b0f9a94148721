import type { CompiledCanvas } from '../canvas/canvas-types.js';
import type { ExportFormat } from '../facilitation/types.js';
import { dateFormat } from '../intl-cache.js';
import type { OutboundFile } from '../platform.js';
import { type CsvOptions, exportCsv } from '../render/export-csv.js';
import { exportJson } from '../render/export-json.js';
import { exportMarkdown } from '../render/export-markdown.js';
import { CHAT_PNG_WIDTH, renderCanvasPng } from '../render/sheet/canvas-png.js';
import { renderCanvasSvg } from '../render/sheet/canvas-svg.js';
import { sheetFileName } from '../render/sheet/sheet-file.js';
import { SHEET_WORDS } from '../render/sheet/sheet-words.js';

interface BuiltFile {
  filename: string;
  contentType: string;
  data: string | Buffer;
}

/** Builds an export file for the platform's upload (`raw`: the CSV as written, see CsvOptions). */
export async function buildExport(
  canvas: CompiledCanvas,
  format: ExportFormat,
  options: CsvOptions = {},
): Promise<OutboundFile> {
  return toOutbound(await render(canvas, format, options), canvas);
}

/**
 * The canvas sheet that goes with a summary or a digest, at the width a chat shows (`export png` gives
 * the A3 one). Named by campaign and day (in the campaign's time zone) so the weekly pictures people
 * save do not overwrite one another.
 */
export async function buildCanvasPicture(canvas: CompiledCanvas, now: Date): Promise<OutboundFile> {
  return toOutbound(
    {
      filename: `${sheetFileName(canvas)}-${dayOf(now, canvas.campaign.tz)}.png`,
      contentType: 'image/png',
      data: await renderCanvasPng(canvas, CHAT_PNG_WIDTH),
    },
    canvas,
  );
}

function toOutbound(file: BuiltFile, canvas: CompiledCanvas): OutboundFile {
  // A text export is encoded once, here; a picture goes as rasterised.
  const data = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data;
  const built = { name: file.filename, contentType: file.contentType, data };
  if (!file.contentType.startsWith('image/')) return built;
  return { ...built, alt: SHEET_WORDS[canvas.campaign.lang].alt(canvas.campaign.name) };
}

/** YYYY-MM-DD: sorts by date in a folder, whatever the campaign's language. */
function dayOf(now: Date, tz: string): string {
  try {
    return dateFormat('en-CA', tz, 'isoDay').format(now);
  } catch {
    // A zone the runtime no longer knows must not cost the picture its name.
    return now.toISOString().slice(0, 10);
  }
}

async function render(canvas: CompiledCanvas, format: ExportFormat, options: CsvOptions): Promise<BuiltFile> {
  switch (format) {
    case 'md':
      return exportMarkdown(canvas, canvas.campaign.lang);
    case 'json':
      return exportJson(canvas);
    case 'csv':
      return exportCsv(canvas, options);
    case 'svg':
      return {
        filename: `${sheetFileName(canvas)}.svg`,
        contentType: 'image/svg+xml',
        data: renderCanvasSvg(canvas),
      };
    case 'png':
      return {
        filename: `${sheetFileName(canvas)}.png`,
        contentType: 'image/png',
        data: await renderCanvasPng(canvas),
      };
    default: {
      const unknown: never = format;
      throw new Error(`unknown export format ${String(unknown)}`);
    }
  }
}
