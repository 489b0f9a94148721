import type { CompiledCanvas } from '../canvas/canvas-types.js';
import type { ExportFormat } from '../facilitation/types.js';
import type { OutboundFile } from '../platform.js';
import { exportCsv } from '../render/export-csv.js';
import { exportJson } from '../render/export-json.js';
import { exportMarkdown } from '../render/export-markdown.js';

/** Builds an export file ready to travel in an outbox job. */
export function buildExport(canvas: CompiledCanvas, format: ExportFormat): OutboundFile {
  const file = render(canvas, format);
  return {
    name: file.filename,
    contentType: file.contentType,
    base64: Buffer.from(file.data).toString('base64'),
  };
}

function render(canvas: CompiledCanvas, format: ExportFormat) {
  switch (format) {
    case 'md':
      return exportMarkdown(canvas, canvas.campaign.lang);
    case 'json':
      return exportJson(canvas);
    case 'csv':
      return exportCsv(canvas);
    case 'svg':
    case 'png':
      throw new Error(`the ${format} export is not available yet`);
    default: {
      const unknown: never = format;
      throw new Error(`unknown export format ${String(unknown)}`);
    }
  }
}
