/**
 * `npm run bench`: the figures of issue 12 side by side, each beside an anchor measured in the same run.
 *
 *   npm run bench                      every figure (takes minutes)
 *   npm run bench -- ack outbox        only those figures
 *   npm run bench -- --idle=10000      idle campaigns at these counts only
 *   npm run bench -- --quick           tiny sizes: checks the harness, measures nothing worth keeping
 *   npm run bench -- --out=DIR         write the JSON there instead of bench/results/
 *
 * Prints a table and writes bench/results/<date>.json (`<date>-quick.json` for a quick run). Every
 * Redis is a throwaway redis-server of the bench's own: REDIS_URL and its data are never touched.
 */
import { ackLatency } from './ack-latency.js';
import { answerGrowth } from './answer-growth.js';
import { answersRate } from './answers-rate.js';
import { exportSpeed } from './export-speed.js';
import type { Figure, FigureContext, Row } from './figure.js';
import { idleMemory } from './idle-memory.js';
import { outboxRate } from './outbox-rate.js';
import { type BenchReport, machine, machineLoad, terminalTable, writeReport } from './report.js';
import { sheetPng } from './sheet-png.js';

/** In the order; the idle campaigns last, being the longest. */
export const FIGURES: Figure[] = [
  ackLatency,
  answersRate,
  answerGrowth,
  exportSpeed,
  sheetPng,
  outboxRate,
  idleMemory,
];

export interface BenchOptions {
  names: string[];
  quick: boolean;
  idleCounts: number[];
  out?: string;
}

export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = { names: [], quick: false, idleCounts: [10_000, 100_000] };
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true;
    else if (arg.startsWith('--idle=')) {
      const counts = arg
        .slice('--idle='.length)
        .split(',')
        .map((n) => Number(n.replace(/_/g, '')));
      if (counts.some((n) => !Number.isInteger(n) || n <= 0))
        throw new Error(`--idle takes counts of campaigns, e.g. --idle=10000,100000 (got ${arg})`);
      options.idleCounts = counts;
    } else if (arg.startsWith('--out=')) options.out = arg.slice('--out='.length);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg} (see bench/run.ts)`);
    else {
      if (!FIGURES.some((f) => f.name === arg))
        throw new Error(`no figure named ${arg}: use ${FIGURES.map((f) => f.name).join(', ')}`);
      options.names.push(arg);
    }
  }
  if (options.quick && !options.idleCounts.some((n) => n <= 1_000)) options.idleCounts = [50, 100];
  return options;
}

export async function runBench(options: BenchOptions, say: (line: string) => void): Promise<BenchReport> {
  const figures = options.names.length ? FIGURES.filter((f) => options.names.includes(f.name)) : FIGURES;
  const ctx: FigureContext = { quick: options.quick, idleCounts: options.idleCounts, say };
  const start = machineLoad();
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const durations: Record<string, number> = {};
  for (const figure of figures) {
    say(`${figure.name}: ${figure.what}`);
    const began = Date.now();
    try {
      const result = await figure.run(ctx);
      rows.push(...result.rows);
      if (result.details) details[figure.name] = result.details;
    } catch (err) {
      // One figure that could not be measured (a machine loaded past its cores times commands out)
      // must not cost the run the others: its row says what went wrong.
      const message = err instanceof Error ? err.message : String(err);
      say(`${figure.name}: failed: ${message}`);
      rows.push({
        figure: figure.name,
        name: `${figure.name}: not measured`,
        value: Number.NaN,
        unit: '',
        goalText: '—',
        pass: false,
        note: message.slice(0, 300),
      });
    }
    durations[figure.name] = Math.round((Date.now() - began) / 100) / 10;
  }
  return {
    ...machine(),
    figures: figures.map((f) => f.name),
    quick: options.quick,
    start,
    end: machineLoad(),
    durations,
    rows,
    details,
  };
}

const began = Date.now();
const say = (line: string) => process.stdout.write(`${line}\n`);
/** Progress lines carry the time since the run began: a long run says where its minutes went. */
const progress = (line: string) => {
  const s = Math.round((Date.now() - began) / 1000);
  say(`[${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}] ${line}`);
};

if (process.argv[1] === import.meta.filename) {
  let options: BenchOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    process.exit(2);
  }
  // Work the core leaves running in the background (an inbox drained after its caller was answered)
  // may fail on a machine loaded past its cores; it is finished later, and must not end the run.
  process.on('unhandledRejection', (err) => {
    progress(`background failure (the run goes on): ${err instanceof Error ? err.message : String(err)}`);
  });
  const report = await runBench(options, progress);
  say('');
  say(terminalTable(report));
  say(`\nwrote ${writeReport(report, options.out)}`);
  // Figures start servers and clients of their own; none must keep the bench alive once it is done.
  process.exit(0);
}
