import type { Ledger } from './ledger.js';
import type { Totals } from './verify.js';

/** The suite's table: faults by kind, then what was checked. */
export function printTable(ledger: Ledger, totals: Totals): void {
  const rows: [string, string][] = [...ledger.faults].map(([kind, n]) => [kind, String(n)]);
  rows.push(['total faults injected', String(ledger.totalFaults)]);
  const checks: [string, string][] = [
    ['answers sent / stored', `${totals.answersSent} / ${totals.answersStored}`],
    ['question posts expected / made', `${totals.postsExpected} / ${totals.postsMade}`],
    ['posts duplicated', String(totals.postsDuplicated)],
    ['posts out of order', String(totals.postsOutOfOrder)],
  ];
  const width = Math.max(...[...rows, ...checks].map(([k]) => k.length)) + 2;
  const line = ([k, v]: [string, string]) => `| ${k.padEnd(width)}| ${v.padStart(11)} |`;
  const rule = `|${'-'.repeat(width + 1)}|${'-'.repeat(13)}|`;
  const out = [
    '',
    line(['fault', 'count']),
    rule,
    ...rows.map(line),
    '',
    line(['check', 'result']),
    rule,
    ...checks.map(line),
    '',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
