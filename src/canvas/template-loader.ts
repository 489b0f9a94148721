import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { promptsDir } from '../package-root.js';
import { checkTemplate } from './template-checks.js';
import {
  describeZodIssue,
  FILE_PATH,
  formatPath,
  ROOT_PATH,
  TemplateError,
  type TemplateIssue,
} from './template-error.js';
import {
  type BlockTemplate,
  type CanvasTemplate,
  canvasTemplate,
  type FicheTemplate,
  type RoundTemplate,
} from './template-schema.js';

export { TemplateError, type TemplateIssue } from './template-error.js';

function throwIssues(file: string, issues: TemplateIssue[]): never {
  const [first, ...rest] = issues;
  if (!first) throw new Error('throwIssues needs at least one issue');
  throw new TemplateError(file, [first, ...rest]);
}

/** yaml's messages end with " at line 3, column 5:" and a code excerpt; the path already says where. */
function yamlProblem(message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?\s*$/, '').trim();
}

function parseYaml(source: string, file: string): unknown {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) {
    throwIssues(
      file,
      doc.errors.map((err) => {
        const pos = err.linePos?.[0];
        const path = pos ? `line ${pos.line}, column ${pos.col}` : ROOT_PATH;
        return { path, problem: `YAML syntax error: ${yamlProblem(err.message)}` };
      }),
    );
  }
  return doc.toJS();
}

/**
 * Parses and validates a template (YAML text). `file` only names the source in errors.
 * Throws a TemplateError naming the precise path of every problem.
 */
export function parseTemplate(source: string, file: string): CanvasTemplate {
  const data = parseYaml(source, file);
  if (data === null || data === undefined) {
    throwIssues(file, [{ path: ROOT_PATH, problem: 'the file is empty' }]);
  }
  const result = canvasTemplate.safeParse(data, { reportInput: true });
  if (!result.success) {
    throwIssues(
      file,
      result.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        problem: describeZodIssue(issue),
      })),
    );
  }
  const issues = checkTemplate(result.data);
  if (issues.length > 0) throwIssues(file, issues);
  return result.data;
}

/** Reads and validates a template file; an unreadable file is a TemplateError too. */
export async function loadTemplate(file: string): Promise<CanvasTemplate> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot read the file (${code ?? String(err)})`;
    throwIssues(file, [{ path: FILE_PATH, problem }]);
  }
  let known = parsed.get(file);
  if (known?.source !== source) {
    known = { source, template: parseTemplate(source, file) };
    parsed.set(file, known);
  }
  const copy = structuredClone(known.template);
  known.hash ??= hashTemplate(known.template);
  hashes.set(copy, known.hash);
  return copy;
}

/**
 * Templates already parsed, by file, with the text they were parsed from: every `start` reads the file
 * again (an edited template is used at once) but parses and checks its YAML only when it changed.
 * Callers get their own copy, so none can change another's.
 */
const parsed = new Map<string, { source: string; template: CanvasTemplate; hash?: string }>();

/** The ids of loaded templates, worked out once per file's text: a template is not changed once loaded. */
const hashes = new WeakMap<CanvasTemplate, string>();

/** Absolute path of the bundled `prompts/canvas.yaml`. */
export function defaultTemplatePath(): string {
  return join(promptsDir(), 'canvas.yaml');
}

export function loadDefaultTemplate(): Promise<CanvasTemplate> {
  return loadTemplate(defaultTemplatePath());
}

/** Every block id in the order the questions are asked: round by round, or fiche by fiche. */
export function blockOrder(template: CanvasTemplate): string[] {
  return roundsOf(template).flatMap((round) => round.blocks);
}

/** The template's rounds; a template without them asks one block at a time, fiche by fiche. */
export function roundsOf(template: CanvasTemplate): RoundTemplate[] {
  if (template.rounds) return template.rounds;
  return template.fiches.flatMap((fiche) =>
    fiche.blocks.map((block) => ({ id: block.id.replace('.', '_'), title: block.title, blocks: [block.id] })),
  );
}

/** A block with its fiche; `index` is its position within that fiche. */
export function findBlock(
  template: CanvasTemplate,
  blockId: string,
): { fiche: FicheTemplate; block: BlockTemplate; index: number } | undefined {
  for (const fiche of template.fiches) {
    const index = fiche.blocks.findIndex((block) => block.id === blockId);
    const block = fiche.blocks[index];
    if (block) return { fiche, block, index };
  }
  return undefined;
}

/** JSON with object keys sorted at every level, so equal templates give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Content-addressed template id: the first 16 hex chars of the sha256 of its canonical JSON. */
export function hashTemplate(template: CanvasTemplate): string {
  const known = hashes.get(template);
  if (known) return known;
  return createHash('sha256').update(canonicalJson(template)).digest('hex').slice(0, 16);
}
