import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const TSX = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');
const CLI = resolve(import.meta.dirname, '../../adapters/cli.ts');

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real `canevas` command line, as a user runs it, in `cwd` with only the variables given (and
 * PATH): no .env, no colours, silent logs unless `env` says otherwise.
 */
export function runCanevas(args: string[], cwd: string, env: Record<string, string>): Promise<CliOutcome> {
  return new Promise((done, failed) => {
    const child = spawn(TSX, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, LOG_LEVEL: 'silent', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', failed);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
