/**
 * The Block Kit limits Slack enforces, as the fake checks them: Slack refuses a whole message or view
 * that breaks one (`invalid_blocks`, `invalid_arguments`), so the adapter must never send one.
 * Each check returns what is wrong, or nothing.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const length = (text: unknown) => [...String(text ?? '')].length;
const textOf = (v: unknown) => (isObject(v) ? v.text : undefined);

/** A message's blocks: at most 50, block ids unique, each block within its own limits. */
export function messageBlockProblems(blocks: unknown): string[] {
  if (blocks === undefined) return [];
  if (!Array.isArray(blocks)) return ['blocks: not an array'];
  const problems: string[] = [];
  if (blocks.length > 50) problems.push(`blocks: ${blocks.length} > 50`);
  problems.push(...uniqueBlockIds(blocks));
  for (const [i, block] of blocks.entries()) {
    if (!isObject(block)) {
      problems.push(`blocks[${i}]: not an object`);
      continue;
    }
    if (block.type === 'section' && length(textOf(block.text)) > 3000)
      problems.push(`blocks[${i}].text: over 3000`);
    if (block.type === 'actions') problems.push(...actionsProblems(block, `blocks[${i}]`));
  }
  return problems;
}

function uniqueBlockIds(blocks: unknown[]): string[] {
  const ids = blocks.flatMap((b) => (isObject(b) && typeof b.block_id === 'string' ? [b.block_id] : []));
  const problems = ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `block_id ${id}: repeated`);
  for (const id of ids) if (length(id) > 255) problems.push(`block_id ${id}: over 255`);
  return problems;
}

function actionsProblems(block: Json, at: string): string[] {
  const elements = Array.isArray(block.elements) ? block.elements : [];
  const problems: string[] = [];
  if (elements.length === 0 || elements.length > 25) problems.push(`${at}.elements: ${elements.length}`);
  const ids = new Set<string>();
  for (const [j, e] of elements.entries()) {
    if (!isObject(e)) continue;
    const id = String(e.action_id ?? '');
    if (ids.has(id)) problems.push(`${at}.elements[${j}].action_id: repeated`);
    ids.add(id);
    if (length(id) > 255) problems.push(`${at}.elements[${j}].action_id: over 255`);
    if (e.type === 'button') {
      const label = length(textOf(e.text));
      if (label === 0 || label > 75) problems.push(`${at}.elements[${j}].text: ${label} characters`);
      if (length(e.value) > 2000) problems.push(`${at}.elements[${j}].value: over 2000`);
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
        problems.push(`${at}.elements[${j}].style: ${String(e.style)}`);
    }
  }
  return problems;
}

/** A modal: its title and buttons, its metadata, and each input's element. */
export function viewProblems(view: unknown): string[] {
  if (!isObject(view)) return ['view: not an object'];
  const problems: string[] = [];
  if (view.type !== 'modal') problems.push('view.type: not modal');
  for (const key of ['title', 'submit', 'close'] as const) {
    const text = textOf(view[key]);
    if (key === 'title' && text === undefined) problems.push('view.title: missing');
    if (text !== undefined && (length(text) === 0 || length(text) > 24))
      problems.push(`view.${key}: ${length(text)} characters`);
  }
  if (length(view.private_metadata) > 3000) problems.push('view.private_metadata: over 3000');
  if (length(view.callback_id) > 255) problems.push('view.callback_id: over 255');
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  if (blocks.length === 0 || blocks.length > 100) problems.push(`view.blocks: ${blocks.length}`);
  problems.push(...uniqueBlockIds(blocks));
  const hasInput = blocks.some((b) => isObject(b) && b.type === 'input');
  if (hasInput && view.submit === undefined) problems.push('view.submit: needed with inputs');
  for (const [i, block] of blocks.entries()) {
    if (isObject(block) && block.type === 'input')
      problems.push(...inputProblems(block, `view.blocks[${i}]`));
  }
  return problems;
}

/** A Home tab: type home, no modal's title or buttons, 1 to 100 blocks, sections within their limit. */
export function homeViewProblems(view: unknown): string[] {
  if (!isObject(view)) return ['view: not an object'];
  const problems: string[] = [];
  if (view.type !== 'home') problems.push('view.type: not home');
  for (const key of ['title', 'submit', 'close'] as const)
    if (view[key] !== undefined) problems.push(`view.${key}: not in a home view`);
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  if (blocks.length === 0 || blocks.length > 100) problems.push(`view.blocks: ${blocks.length}`);
  problems.push(...uniqueBlockIds(blocks));
  for (const [i, block] of blocks.entries()) {
    if (!isObject(block)) problems.push(`view.blocks[${i}]: not an object`);
    else if (
      block.type === 'section' &&
      (length(textOf(block.text)) === 0 || length(textOf(block.text)) > 3000)
    )
      problems.push(`view.blocks[${i}].text: ${length(textOf(block.text))} characters`);
    else if (block.type !== 'section' && block.type !== 'divider')
      problems.push(`view.blocks[${i}].type: ${String(block.type)}`);
  }
  return problems;
}

function inputProblems(block: Json, at: string): string[] {
  const problems: string[] = [];
  const label = length(textOf(block.label));
  if (label === 0 || label > 2000) problems.push(`${at}.label: ${label} characters`);
  const e = isObject(block.element) ? block.element : {};
  switch (e.type) {
    case 'plain_text_input': {
      const max = e.max_length === undefined ? 3000 : Number(e.max_length);
      if (!(max >= 1 && max <= 3000)) problems.push(`${at}.element.max_length: ${String(e.max_length)}`);
      if (e.initial_value !== undefined && length(e.initial_value) > max)
        problems.push(`${at}.element.initial_value: longer than ${max}`);
      break;
    }
    case 'static_select': {
      const options = Array.isArray(e.options) ? e.options.filter(isObject) : [];
      if (options.length === 0 || options.length > 100)
        problems.push(`${at}.element.options: ${options.length}`);
      for (const o of options) {
        if (length(textOf(o.text)) > 75) problems.push(`${at}.element.options: text over 75`);
        if (length(o.value) > 150) problems.push(`${at}.element.options: value over 150`);
      }
      if (
        e.initial_option !== undefined &&
        !options.some((o) => JSON.stringify(o) === JSON.stringify(e.initial_option))
      )
        problems.push(`${at}.element.initial_option: not one of the options`);
      break;
    }
    case 'datepicker':
      if (e.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(e.initial_date)))
        problems.push(`${at}.element.initial_date: ${String(e.initial_date)}`);
      break;
    default:
      problems.push(`${at}.element.type: ${String(e.type)}`);
  }
  return problems;
}
