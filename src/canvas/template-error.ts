import type { z } from 'zod';

/** One thing wrong in a template: where (a path into the document) and what, in a human sentence. */
export interface TemplateIssue {
  /** e.g. `fiches[1].blocks[3].question.en`, `synthesis[2].blocks[0]`, or `line 12, column 3`. */
  path: string;
  problem: string;
}

/** Path used when the problem is the whole document (empty file, not a mapping). */
export const ROOT_PATH = '(top level)';
/** Path used when the file itself cannot be read. */
export const FILE_PATH = '(file)';

/**
 * A template that cannot be used. `path` and `problem` describe the first issue; `issues` lists all of
 * them, and `message` has one `file: path: problem` line per issue, the first one on top.
 */
export class TemplateError extends Error {
  readonly file: string;
  readonly path: string;
  readonly problem: string;
  readonly issues: readonly TemplateIssue[];

  constructor(file: string, issues: readonly [TemplateIssue, ...TemplateIssue[]]) {
    super(issues.map((issue) => `${file}: ${issue.path}: ${issue.problem}`).join('\n'));
    this.name = 'TemplateError';
    this.file = file;
    this.path = issues[0].path;
    this.problem = issues[0].problem;
    this.issues = issues;
  }
}

/** `['fiches', 1, 'blocks', 3, 'id']` -> `fiches[1].blocks[3].id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? ROOT_PATH : out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

const expectedNames: Record<string, string> = {
  object: 'a mapping (key: value)',
  array: 'a list',
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
};

/** Turns a zod issue into a sentence a template author understands without knowing zod. */
export function describeZodIssue(issue: z.core.$ZodIssue): string {
  const input: unknown = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return 'required';
      const expected = expectedNames[issue.expected] ?? issue.expected;
      return `expected ${expected}, got ${describeValue(input)}`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return issue.values.length === 1
        ? `must be ${allowed}, got ${describeValue(input)}`
        : `must be one of ${allowed}, got ${describeValue(input)}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} item(s)`;
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `allows at most ${String(issue.maximum)} item(s)`;
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      // Our own regex messages are already human; zod's default one only shows the pattern.
      if (issue.message.startsWith('Invalid string')) {
        return `${describeValue(input)} is not a valid id (lowercase letters, digits and _, starting with a letter)`;
      }
      return `${issue.message}, got ${describeValue(input)}`;
    default:
      return issue.message;
  }
}
