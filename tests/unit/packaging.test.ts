import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../src/package-root.js';

const read = (file: string) => readFileSync(join(packageRoot(), file), 'utf8');

interface Service {
  restart?: string;
  ports?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
}

describe('what an operator installs', () => {
  it('builds the image from a context without dependencies, history or secrets, on Node 24', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', '.git', '.env', '.env.*', '.canevas'])
      expect(ignored).toContain(entry);
    const bases = read('Dockerfile')
      .split('\n')
      .filter((line) => line.startsWith('FROM '));
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^FROM node:24\.\d+\.\d+-bookworm-slim\b/);
  });

  it('composes Redis with a restart policy and a health check, and the bot on the port PORT names', () => {
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
    const { redis, bot } = compose.services;
    expect(redis?.restart).toBe('unless-stopped');
    expect(redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(redis?.ports).toBeUndefined();
    expect(bot?.restart).toBe('unless-stopped');
    // Compose's own interpolation, not JavaScript's.
    const port = ['$', '{PORT:-3000}'].join('');
    expect(bot?.environment?.PORT).toBe(port);
    expect(bot?.ports).toEqual([`${port}:${port}`]);
  });

  it('ships the prompts, templates and Slack manifests in the package, and asks for Node 22 or newer', () => {
    const pkg = JSON.parse(read('package.json')) as { files: string[]; engines: { node: string } };
    for (const folder of ['dist', 'prompts', 'templates', 'slack']) expect(pkg.files).toContain(folder);
    expect(pkg.engines.node).toBe('>=22');
  });

  it('says where the project lives and where to report a problem, as the README does', () => {
    const pkg = JSON.parse(read('package.json')) as {
      homepage: string;
      repository: { type: string; url: string };
      bugs: { url: string };
    };
    const home = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(pkg.repository.type).toBe('git');
    expect(home).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(pkg.homepage).toBe(`${home}#readme`);
    expect(pkg.bugs.url).toBe(`${home}/issues`);
    expect(read('README.md')).toContain(pkg.bugs.url);
  });
});
