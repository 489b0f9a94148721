import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { sampleCampaign } from '../fixtures/sample-campaign.js';
import { freshRedis, redisUrlFor } from '../helpers/redis.js';

/** The command line as a user runs it: `--version`, its help, and `export … --format csv [--raw]`. */
const DB = 42;
const TSX = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');
const CLI = resolve(import.meta.dirname, '../../adapters/cli.ts');
const FORMULA = '=HYPERLINK("https://evil.example","Zoé")';

let redis: Redis;
let cwd: string;
let campaignId = '';

function canevas(args: string[]): Promise<{ code: number | null; stdout: Buffer }> {
  return new Promise((done, failed) => {
    const child = spawn(TSX, [CLI, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: cwd,
        REDIS_URL: redisUrlFor(DB),
        LOG_LEVEL: 'silent',
        NO_COLOR: '1',
      },
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', failed);
    child.on('close', (code) => done({ code, stdout: Buffer.concat(chunks) }));
  });
}

beforeAll(async () => {
  redis = await freshRedis(DB);
  cwd = mkdtempSync(join(tmpdir(), 'canevas-cli-export-'));
  const store = createRedisStore(redis);
  const templateId = await store.putTemplate(await loadDefaultTemplate());
  const sample = sampleCampaign('en');
  const base = sample.answers.m1;
  if (!base) throw new Error('no m1');
  const created = await store.create({
    ...sample,
    templateId,
    answers: { ...sample.answers, f1: { ...base, id: 'f1', text: FORMULA } },
  });
  campaignId = created.id;
});

afterAll(async () => {
  redis?.disconnect();
  rmSync(cwd, { recursive: true, force: true });
});

describe('canevas --version and help', () => {
  it('prints the package’s version', async () => {
    const { version } = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    const { code, stdout } = await canevas(['--version']);
    expect([code, stdout.toString('utf8')]).toEqual([0, `${version}\n`]);
  });

  it('says in `start --help` which variables connect Slack (either mode) or Discord, and that none runs the playground', async () => {
    expect((await canevas(['--help'])).stdout.toString('utf8')).toContain('canevas start --help');
    const { code, stdout } = await canevas(['start', '--help']);
    expect(code).toBe(0);
    const help = stdout.toString('utf8');
    for (const words of [
      'Slack, Socket Mode      SLACK_BOT_TOKEN=xoxb-…  SLACK_APP_TOKEN=xapp-…',
      'SLACK_SIGNING_SECRET',
      'DISCORD_TOKEN=…  DISCORD_APPLICATION_ID=…',
      'the playground',
      'REDIS_URL',
    ])
      expect(help).toContain(words);
  });

  it('names every export format and option in `export --help`', async () => {
    const { code, stdout } = await canevas(['export', '--help']);
    expect(code).toBe(0);
    const help = stdout.toString('utf8');
    for (const word of ['md, json, csv, svg, png', '--out', '--raw', 'SVG or PNG'])
      expect(help).toContain(word);
  });
});

describe('canevas export --format csv', () => {
  it('writes a CSV a spreadsheet opens safely: a byte-order mark, formulas made text', async () => {
    const { code, stdout } = await canevas(['export', campaignId, '--format', 'csv']);
    expect(code).toBe(0);
    expect([...stdout.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(stdout.toString('utf8')).toContain(`'${FORMULA.replace(/"/g, '""')}`);
  });

  it('writes every cell exactly as written with --raw', async () => {
    const { code, stdout } = await canevas(['export', campaignId, '--format', 'csv', '--raw']);
    expect(code).toBe(0);
    const text = stdout.toString('utf8');
    expect(text.startsWith('campaign_id,')).toBe(true);
    expect(text).toContain(`,"${FORMULA.replace(/"/g, '""')}"\r\n`);
  });
});
