import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { row } from '../../bench/figure.js';
import { openLoop } from '../../bench/open-loop.js';
import { kindOf } from '../../bench/redis-usage.js';
import { markdownTable, writeReport } from '../../bench/report.js';
import { parseArgs, runBench } from '../../bench/run.js';

/** The bench's harness: verdicts, options, its load generator's bookkeeping and its report. No figure is judged here. */

describe('a row of the bench', () => {
  it('works out the ratio to its anchor and holds the value and the ratio to the goal', () => {
    const r = row({
      figure: 'ack',
      name: 'help',
      value: 20,
      unit: 'ms',
      anchor: { name: 'bolt', value: 10 },
      goal: { max: 25, maxRatio: 1.3 },
    });
    expect(r).toMatchObject({ ratio: 2, goalText: '≤ 25 ms and ≤ 1.3 × anchor', pass: false });
    expect(row({ ...r, anchor: { name: 'bolt', value: 16 } }).pass).toBe(true);
    expect(row({ ...r, value: 26, anchor: { name: 'bolt', value: 100 } }).pass).toBe(false);
  });

  it('fails a ratio goal when no anchor was measured, and has no verdict without a goal', () => {
    expect(row({ figure: 'x', name: 'x', value: 1, unit: '/s', goal: { minRatio: 0.6 } }).pass).toBe(false);
    const bare = row({ figure: 'x', name: 'x', value: 1, unit: '/s' });
    expect(bare.pass).toBeUndefined();
    expect(bare.goalText).toBe('—');
  });

  it('holds minimums', () => {
    expect(row({ figure: 'o', name: 'o', value: 999, unit: '/s', goal: { min: 1000 } }).pass).toBe(false);
    expect(
      row({
        figure: 'o',
        name: 'o',
        value: 1.8,
        unit: '/s',
        anchor: { name: 'a', value: 1 },
        goal: { minRatio: 1.7 },
      }).pass,
    ).toBe(true);
  });
});

describe('the bench command line', () => {
  it('runs every figure by default, or those named', () => {
    expect(parseArgs([])).toMatchObject({ names: [], quick: false, idleCounts: [10_000, 100_000] });
    expect(parseArgs(['ack', 'idle', '--idle=10_000,20000'])).toMatchObject({
      names: ['ack', 'idle'],
      idleCounts: [10_000, 20_000],
    });
  });

  it('says what it takes when a name or an option is wrong', () => {
    expect(() => parseArgs(['acks'])).toThrow(/no figure named acks: use ack, /);
    expect(() => parseArgs(['--idle=ten'])).toThrow(/--idle takes counts/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });
});

describe('the open-loop generator', () => {
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      // Every third request is refused: refusals are counted, not dropped.
      res.writeHead(req.headers['x-n'] && Number(req.headers['x-n']) % 3 === 0 ? 500 : 200);
      res.end('ok');
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends every scheduled request, counts only the measured window, and counts refusals', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const result = await openLoop({
      url: `http://127.0.0.1:${port}/slack/events`,
      ratePerSecond: 100,
      durationMs: 200,
      warmupMs: 100,
      make: (i) => ({
        body: `{"i":${i}}`,
        headers: { 'content-type': 'application/json', 'x-n': String(i) },
      }),
    });
    // 10 warm-up requests (0-9) then 20 measured (10-29), of which 12, 15 … 27 are refused.
    expect(result.count).toBe(20);
    expect(result.errors).toBe(6);
    expect(result.statuses).toEqual({ '200': 14, '500': 6 });
  });
});

describe('the bench report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canevas-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a quick run of one figure gives its rows, the load at both ends, and a JSON file', async () => {
    const report = await runBench(parseArgs(['export', '--quick']), () => undefined);
    expect(report.figures).toEqual(['export']);
    expect(report.start.loadavg).toHaveLength(3);
    expect(report.end.loadavg).toHaveLength(3);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({
      figure: 'export',
      unit: 'ms',
      anchor: { name: 'JSON.stringify of the same campaign' },
      goalText: '≤ 100 ms',
    });
    expect(typeof report.rows[0]?.pass).toBe('boolean');
    const file = writeReport(report, dir);
    expect(file).toMatch(/\d{4}-\d{2}-\d{2}-quick\.json$/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ figures: ['export'], quick: true });
    const table = markdownTable(report);
    expect(table).toContain('| compile + Markdown export, 500 answers (median) |');
    expect(table).toMatch(/Load average \(1 \/ 5 \/ 15 min\) [\d.]+ \/ [\d.]+ \/ [\d.]+ at the start/);
  });
});

describe('kinds of Redis key', () => {
  it('puts one campaign’s keys with another’s', () => {
    expect(kindOf('canevas:{playground-bench-idle-7-lz3k}:campaign')).toBe(
      kindOf('canevas:{slack-T-C9-abc}:campaign'),
    );
    expect(kindOf('canevas:channel:playground:bench:idle-12:active')).toBe(
      kindOf('canevas:channel:playground:bench:idle-3:active'),
    );
    expect(kindOf('bull:canevas-schedule:repeat:tick-playground-a:1767261600000')).toBe(
      kindOf('bull:canevas-schedule:repeat:tick-playground-b:1767348000000'),
    );
    expect(kindOf('canevas:campaigns')).not.toBe(kindOf('canevas:pending'));
    // The playground's messages stand for the chat platform's servers: they keep a kind of their own.
    expect(kindOf('canevas:{playground}:msg:pg12')).toBe('canevas:{playground}:msg:pgN');
  });
});
