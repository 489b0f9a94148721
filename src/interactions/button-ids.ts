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
  const parts = [CORE_BUTTON_PREFIX, action.verb, action.tag, action.blockId];
  if (action.verb === 'stance') parts.push(String(action.version), action.stance);
  return parts.join('|');
}

/** The action a button id names, or undefined for anything else (a forged or foreign id). */
export function readButtonId(id: string): ButtonAction | undefined {
  const [prefix, verb, tag = '', blockId = '', version, stance, ...rest] = id.split('|');
  if (prefix !== CORE_BUTTON_PREFIX || rest.length > 0 || tag === '' || blockId === '') return undefined;
  if ((verb === 'write' || verb === 'revise' || verb === 'action') && version === undefined)
    return { verb, tag, blockId };
  if (verb === 'ostrom' && version === undefined && /^[1-9]$/.test(blockId))
    return { verb, tag, part: Number(blockId) };
  if (verb !== 'stance' || !(STANCES as readonly string[]).includes(stance ?? '')) return undefined;
  const n = Number(version);
  if (!Number.isInteger(n) || n < 1) return undefined;
  return { verb, tag, blockId, version: n, stance: stance as Stance };
}
