import type { CanvasTemplate } from '../canvas/template-schema.js';
import { isDate } from '../schedule/calendar.js';

/** An action in the one shape the action blocks take: what, who, by when, and how we will know. */
export interface ActionItem {
  what: string;
  who: string;
  /** `YYYY-MM-DD`. */
  due: string;
  indicator: string;
}

/** The synthesis area whose blocks take actions. */
const ACTIONS_AREA = 'actions';

export function isActionBlock(template: CanvasTemplate, blockId: string): boolean {
  return template.synthesis.some((a) => a.id === ACTIONS_AREA && a.blocks.includes(blockId));
}

/** How an action is written in a thread, and how the Action form writes it: `what — who — date — indicator`. */
export function formatAction(action: ActionItem): string {
  return [action.what, action.who, action.due, action.indicator].join(' — ');
}

/** Em dash, en dash or a double hyphen, with spaces around it: a hyphen inside a word is left alone. */
const SEPARATOR = /\s+(?:—|–|--)\s+/;

/** An answer written in the action shape, read back; anything else stays a plain answer. */
export function parseAction(text: string): ActionItem | undefined {
  const parts = text.trim().split(SEPARATOR);
  if (parts.length !== 4) return undefined;
  const [what = '', who = '', due = '', indicator = ''] = parts.map((p) => p.trim());
  if (!what || !who || !indicator || !isDate(due)) return undefined;
  return { what, who, due, indicator };
}
