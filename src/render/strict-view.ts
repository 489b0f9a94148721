import Mustache from 'mustache';

/** A template asks for a name its view does not supply: a bug in the caller or the template. */
export class MissingVariableError extends Error {
  constructor(
    readonly key: string,
    readonly variable: string,
  ) {
    super(`prompt "${key}" uses {{${variable}}} but the view does not supply it`);
    this.name = 'MissingVariableError';
  }
}

type Span = Mustache.TemplateSpans[number];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** mustache's lookup, minus calling functions: walks the stack from the innermost context outwards. */
function lookup(stack: readonly unknown[], name: string): { found: boolean; value: unknown } {
  if (name === '.') return { found: true, value: stack[stack.length - 1] };
  const [head, ...rest] = name.split('.');
  for (let i = stack.length - 1; i >= 0; i--) {
    const context = stack[i];
    if (!isRecord(context) || head === undefined || !(head in context)) continue;
    let value: unknown = context[head];
    if (value === undefined) continue;
    for (const part of rest) {
      if (!isRecord(value) || !(part in value) || value[part] === undefined) return { found: false, value };
      value = value[part];
    }
    return { found: true, value };
  }
  return { found: false, value: undefined };
}

/**
 * Throws MissingVariableError for the first `{{name}}`, `{{{name}}}`, `{{&name}}` or section name the
 * view does not supply. Inside a list section each item is checked, names resolving in the item first.
 */
export function assertViewSupplies(key: string, template: string, view: unknown): void {
  checkSpans(key, Mustache.parse(template), [view]);
}

function checkSpans(key: string, spans: Mustache.TemplateSpans, stack: readonly unknown[]): void {
  for (const span of spans) checkSpan(key, span, stack);
}

function checkSpan(key: string, span: Span, stack: readonly unknown[]): void {
  const [type, name] = span;
  if (type === 'text' || type === '!' || type === '=' || type === '>') return;
  const { found, value } = lookup(stack, name);
  if (!found) throw new MissingVariableError(key, name);
  if (type !== '#' && type !== '^') return;
  const inner = span[4];
  if (!Array.isArray(inner)) return;
  if (type === '^' || typeof value === 'function' || !isRecord(value)) {
    checkSpans(key, inner, stack);
  } else if (Array.isArray(value)) {
    for (const item of value) checkSpans(key, inner, [...stack, item]);
  } else {
    checkSpans(key, inner, [...stack, value]);
  }
}

/** Every name a template refers to (variables and sections, dotted names as written), for tests. */
export function namesIn(template: string): string[] {
  const names = new Set<string>();
  const walk = (spans: Mustache.TemplateSpans) => {
    for (const span of spans) {
      const [type, name] = span;
      if (type === 'text' || type === '!' || type === '=' || type === '>') continue;
      if (name !== '.') names.add(name);
      const inner = span[4];
      if (Array.isArray(inner)) walk(inner);
    }
  };
  walk(Mustache.parse(template));
  return [...names].sort();
}
