import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Mustache from 'mustache';
import { LANGS, type Lang } from '../facilitation/types.js';
import { promptsDir } from '../package-root.js';
import type { TextFormat } from '../platform.js';
import { ALL_PROMPT_KEYS, type PromptKey } from './message-keys.js';
import { assertViewSupplies } from './strict-view.js';
import { plural } from './view-helpers.js';

export { MissingVariableError } from './strict-view.js';

export type View = Record<string, unknown>;

export interface Renderer {
  /** Renders prompts/<lang>/<key>.mustache; throws MissingVariableError when the view lacks a name. */
  render(lang: Lang, key: PromptKey, view: View, format: TextFormat): string;
  /** The raw template text (tests compare the languages). */
  source(lang: Lang, key: PromptKey): string;
}

type Lambda = () => (text: string, render: (template: string) => string) => string;

export function defaultPromptsDir(): string {
  return promptsDir();
}

/** Reads every prompt once; a missing file is an error at start-up rather than in a worker. */
function loadPrompts(dir: string): Map<string, string> {
  const prompts = new Map<string, string>();
  for (const lang of LANGS) {
    const langDir = join(dir, lang);
    for (const file of readdirSync(langDir)) {
      if (!file.endsWith('.mustache')) continue;
      const source = readFileSync(join(langDir, file), 'utf8').replace(/\r\n/g, '\n').replace(/\n$/, '');
      Mustache.parse(source);
      prompts.set(`${lang}/${file.slice(0, -'.mustache'.length)}`, source);
    }
    const missing = ALL_PROMPT_KEYS.filter((key) => !prompts.has(`${lang}/${key}`));
    if (missing.length > 0) throw new Error(`canevas: ${langDir} lacks ${missing.join(', ')}.mustache`);
  }
  return prompts;
}

/**
 * `{{#plural}}{{count}}|one form|other form{{/plural}}`: the words stay in the prompt, the choice follows
 * the language's plural rules ("1 nouvelle réponse", "0 answers"). A count that is not a number is shown
 * with the other form, so a broken view reads oddly rather than failing a post.
 */
function pluralLambda(lang: Lang): Lambda {
  return () => (text, render) => {
    const [count = '', one = '', other = ''] = render(text)
      .split('|')
      .map((part) => part.trim());
    const n = Number(count);
    return Number.isFinite(n) && count !== '' ? plural(n, lang, one, other) : `${count} ${other}`;
  };
}

/** `{{#b}}…{{/b}}` and friends: the inner text is rendered (and escaped) first, then formatted. */
function formattingLambdas(format: TextFormat, lang: Lang): Record<string, Lambda> {
  const wrap =
    (apply: (text: string) => string): Lambda =>
    () =>
    (text, render) =>
      apply(render(text).trim());
  return {
    b: wrap(format.bold),
    i: wrap(format.italic),
    quote: wrap(format.quote),
    plural: pluralLambda(lang),
  };
}

export function createRenderer(promptsDir: string = defaultPromptsDir()): Renderer {
  const prompts = loadPrompts(promptsDir);
  const sourceOf = (lang: Lang, key: PromptKey): string => {
    const source = prompts.get(`${lang}/${key}`);
    if (source === undefined) throw new Error(`canevas: no prompt ${lang}/${key}`);
    return source;
  };
  return {
    source: sourceOf,
    render(lang, key, view, format) {
      const template = sourceOf(lang, key);
      const full = { ...formattingLambdas(format, lang), ...view };
      assertViewSupplies(key, template, full);
      // mustache escapes HTML by default (`/` -> `&#x2F;`), which is wrong on every chat platform.
      const escapeValue = (value: unknown) => format.escape(String(value));
      return Mustache.render(template, full, {}, { escape: escapeValue })
        .replace(/\n{3,}/g, '\n\n')
        .trim();
    },
  };
}
