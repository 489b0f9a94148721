import { STANCES, type Stance } from '../facilitation/types.js';

/**
 * What a core button (and the form it opens) stands for, carried in its id: the adapters keep nothing
 * between a press and a submission. `tag` is the end of the campaign's id, so a button left on an
 * ended campaign's post is not taken for the channel's new campaign. Ids stay under Discord's
 * 100-character limit for a custom id.
 */
export type ButtonAction =
  | { verb: 'write'; tag: string; blockId: string }
  | { verb: 'revise'; tag: string; blockId: string }
  | { verb: 'stance'; tag: string; blockId: string; version: number; stance: Stance }
  /** A stance on an action, named by the answer that proposes it. */
  | { verb: 'astance'; tag: string; answerId: string; version: number; stance: Stance }
  | { verb: 'action'; tag: string; blockId: string }
  /** The assessment of Ostrom's principles, in parts (a Discord form holds 5 fields at most). */
  | { verb: 'ostrom'; tag: string; part: number };

/** Prefix of every core button id, so adapters tell them from their own (Answer, Remind me). */
export const CORE_BUTTON_PREFIX = 'cv';
const TAG_LENGTH = 12;

export const campaignTag = (campaignId: string) => campaignId.slice(-TAG_LENGTH);

export function buttonId(action: ButtonAction): string {
  if (action.verb === 'ostrom')
    return [CORE_BUTTON_PREFIX, action.verb, action.tag, String(action.part)].join('|');
  const subject = action.verb === 'astance' ? action.answerId : action.blockId;
  const parts = [CORE_BUTTON_PREFIX, action.verb, action.tag, subject];
  if (action.verb === 'stance' || action.verb === 'astance')
    parts.push(String(action.version), action.stance);
  return parts.join('|');
}

/** The action a button id names, or undefined for anything else (a forged or foreign id). */
export function readButtonId(id: string): ButtonAction | undefined {
  // The subject is a block, an answer (`astance`) or a part (`ostrom`).
  const [prefix, verb, tag = '', subject = '', version, stance, ...rest] = id.split('|');
  if (prefix !== CORE_BUTTON_PREFIX || rest.length > 0 || tag === '' || subject === '') return undefined;
  if ((verb === 'write' || verb === 'revise' || verb === 'action') && version === undefined)
    return { verb, tag, blockId: subject };
  if (verb === 'ostrom' && version === undefined && /^[1-9]$/.test(subject))
    return { verb, tag, part: Number(subject) };
  if (verb !== 'stance' && verb !== 'astance') return undefined;
  if (!(STANCES as readonly string[]).includes(stance ?? '')) return undefined;
  const n = Number(version);
  if (!Number.isInteger(n) || n < 1) return undefined;
  return verb === 'stance'
    ? { verb, tag, blockId: subject, version: n, stance: stance as Stance }
    : { verb, tag, answerId: subject, version: n, stance: stance as Stance };
}

/** Whether a press applies at once (a consent, on a statement or an action) rather than opening a form. */
export function appliesAtOnce(id: string): boolean {
  const action = readButtonId(id);
  return (action?.verb === 'stance' || action?.verb === 'astance') && action.stance === 'consent';
}
