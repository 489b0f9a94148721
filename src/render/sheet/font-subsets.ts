import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import subsetFont from 'subset-font';
import { sheetFontFiles } from './fonts.js';

/**
 * The sheet's fonts cut down to the characters of one sheet. resvg-js takes fonts only as files and
 * reads the file again for every glyph it draws (thx/resvg-js#367): a sheet of 6,000 glyphs read
 * DejaVu Sans (740 KB) 6,000 times, most of the time a picture took. Cut to the few hundred glyphs a
 * sheet uses (a few KB, layout features kept), the same fonts give the same pixels two to three times
 * faster. Each cut is kept for the sheets that use the same characters; any failure falls back to the
 * whole fonts.
 */
export async function fontFilesFor(svg: string): Promise<string[]> {
  const chars = [...new Set(decodeReferences(svg))].sort().join('');
  const key = createHash('sha1').update(chars).digest('hex').slice(0, 16);
  let files = cuts.get(key);
  if (files) {
    // Most recently used last: the first key is the one to drop.
    cuts.delete(key);
  } else {
    files = cut(key, chars).catch(() => sheetFontFiles());
    if (cuts.size >= CUTS_KEPT) drop(cuts.keys().next().value as string);
  }
  cuts.set(key, files);
  return files;
}

const CUTS_KEPT = 32;
const cuts = new Map<string, Promise<string[]>>();
let folder: string | undefined;

async function cut(key: string, chars: string): Promise<string[]> {
  const dir = cutsFolder();
  return Promise.all(
    sheetFontFiles().map(async (file, i) => {
      const path = join(dir, `${key}-${i}.ttf`);
      writeFileSync(path, await subsetFont(readFileSync(file), chars, { targetFormat: 'truetype' }));
      return path;
    }),
  );
}

/** A cut no longer kept is deleted a minute later: a picture being drawn with it may still read it. */
function drop(key: string): void {
  const files = cuts.get(key);
  cuts.delete(key);
  void files?.then((paths) => {
    const owned = paths.filter((path) => folder !== undefined && path.startsWith(folder));
    setTimeout(() => {
      for (const path of owned) rmSync(path, { force: true });
    }, 60_000).unref();
  });
}

/** One temporary folder per process, removed when the process exits. */
function cutsFolder(): string {
  if (!folder) {
    const made = mkdtempSync(join(tmpdir(), 'canevas-fonts-'));
    folder = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return folder;
}

/** The characters an SVG's numeric references stand for (the sheet writes `&<>"'` as `&#38;`…). */
function decodeReferences(svg: string): string {
  return svg.replace(/&#(x[0-9a-f]+|\d+);/gi, (reference, code: string) => {
    const point = code[0] === 'x' || code[0] === 'X' ? Number.parseInt(code.slice(1), 16) : Number(code);
    return point <= 0x10ffff ? String.fromCodePoint(point) : reference;
  });
}
