/** The bench's outputs: a table for people (terminal and README) and a JSON file for tools. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { formatNumber, type Row } from './figure.js';

export interface MachineLoad {
  at: string;
  /** os.loadavg(): 1, 5 and 15 minutes. */
  loadavg: number[];
}

export const machineLoad = (): MachineLoad => ({
  at: new Date().toISOString(),
  loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
});

export interface BenchReport {
  node: string;
  cpus: number;
  cpuModel: string;
  /** The figures run (all of them, or those named on the command line). */
  figures: string[];
  quick: boolean;
  start: MachineLoad;
  end: MachineLoad;
  /** Seconds each figure took. */
  durations: Record<string, number>;
  rows: Row[];
  details: Record<string, unknown>;
}

export function machine() {
  const all = cpus();
  return { node: process.version, cpus: all.length, cpuModel: all[0]?.model ?? 'unknown' };
}

const cellOf = (n: number | undefined, unit = '') =>
  n === undefined ? '—' : `${formatNumber(n)}${unit ? ` ${unit}` : ''}`;
const verdict = (r: Row) => (r.pass === undefined ? '—' : r.pass ? 'pass' : 'FAIL');

/** The rows as a Markdown table (what the README shows), with the machine's load under it. */
export function markdownTable(report: BenchReport): string {
  const lines = [
    '| figure | Canevas | anchor, same run | ratio | goal | verdict |',
    '|---|---|---|---|---|---|',
    ...report.rows
      .map((r) =>
        [
          r.name,
          cellOf(r.value, r.unit),
          r.anchor ? `${r.anchor.name}: ${cellOf(r.anchor.value, r.unit)}` : '—',
          r.ratio === undefined ? '—' : `×${formatNumber(r.ratio)}`,
          r.goalText,
          verdict(r),
        ].join(' | '),
      )
      .map((l) => `| ${l} |`),
  ];
  const notes = report.rows.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}`);
  lines.push('', loadLine(report), ...(notes.length ? ['', ...notes] : []));
  return lines.join('\n');
}

export function loadLine(report: BenchReport): string {
  const fmt = (l: MachineLoad) => l.loadavg.map((n) => n.toFixed(2)).join(' / ');
  return (
    `Machine: ${report.cpus} × ${report.cpuModel}, Node ${report.node}. Load average (1 / 5 / 15 min) ` +
    `${fmt(report.start)} at the start, ${fmt(report.end)} at the end.`
  );
}

/** Plain columns for the terminal, notes included. */
export function terminalTable(report: BenchReport): string {
  const header = ['figure', 'Canevas', 'anchor', 'anchor value', 'ratio', 'goal', 'verdict'];
  const body = report.rows.map((r) => [
    r.name,
    cellOf(r.value, r.unit),
    r.anchor?.name ?? '—',
    r.anchor ? cellOf(r.anchor.value, r.unit) : '—',
    r.ratio === undefined ? '—' : `×${formatNumber(r.ratio)}`,
    r.goalText,
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w)))];
  for (const [i, cells] of body.entries()) {
    out.push(line(cells));
    const note = report.rows[i]?.note;
    if (note) out.push(`    ${note}`);
  }
  out.push('', loadLine(report));
  return out.join('\n');
}

/**
 * bench/results/<date>.json, or <date>-quick.json for a quick run (a run on the same day replaces that
 * day's file); returns its path.
 */
export function writeReport(report: BenchReport, dir = join(import.meta.dirname, 'results')): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.end.at.slice(0, 10)}${report.quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

// `npx tsx bench/report.ts bench/results/<date>.json` prints a run's table in Markdown, as the README shows it.
if (process.argv[1] === import.meta.filename) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/report.ts bench/results/<date>.json\n');
    process.exit(2);
  }
  process.stdout.write(`${markdownTable(JSON.parse(readFileSync(file, 'utf8')) as BenchReport)}\n`);
}
