import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding Canevas's package.json, found from this module so it works from src/ (tsx)
 * and from dist/src/ (compiled): prompts/ sits beside it.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('canevas: no package.json above the core');
    dir = parent;
  }
}

/** The bundled prompts folder: messages per language and the default canvas template. */
export function promptsDir(): string {
  return join(packageRoot(), 'prompts');
}
