import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2] ?? '');
}

describe('layout (DESIGN.md)', () => {
  const coreFiles = filesUnder(join(root, 'src'));

  it('finds the core files', () => {
    expect(coreFiles.length).toBeGreaterThan(10);
  });

  it.each(coreFiles.map((f) => [relative(root, f), f]))(
    '%s imports no platform and no adapter',
    (_, file) => {
      for (const spec of importsOf(file)) {
        expect(spec).not.toMatch(/^@slack\/|^discord\.js$|^@discordjs\//);
        expect(spec).not.toMatch(/adapters\//);
      }
    },
  );

  it('keeps the state machine pure: no clock, no randomness, no I/O', () => {
    for (const file of filesUnder(join(root, 'src', 'facilitation'))) {
      const source = readFileSync(file, 'utf8');
      expect(source, relative(root, file)).not.toMatch(
        /Date\.now\(|new Date\(\)|Math\.random\(|from 'node:|ioredis|bullmq/,
      );
    }
  });
});
