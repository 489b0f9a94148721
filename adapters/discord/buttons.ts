import type { ActionButton } from '../../src/index.js';
// Straight from its module: what a core button does is in its id, and the index does not export the reader.
import { readButtonId } from '../../src/interactions/button-ids.js';
import { clip } from './split.js';

/** Discord's limits: 5 buttons a row, 5 rows a message, 80 characters a label, 100 a custom id. */
export const ROW_SIZE = 5;
export const MAX_ROWS = 5;
const LABEL_LIMIT = 80;
const CUSTOM_ID_LIMIT = 100;

/** Discord's button styles: primary (blurple), secondary (grey), danger (red). */
const STYLE = { primary: 1, secondary: 2, danger: 4 } as const;

/** One of the adapter's own buttons (Answer, Remind me), drawn first, in the post's first row. */
export interface OwnButton {
  customId: string;
  label: string;
  emoji?: string;
  style: 'primary' | 'secondary';
  /** How much losing it costs when the message cannot hold every button (see `rankOf`). */
  rank: number;
}

export interface ButtonJson {
  type: 2;
  style: number;
  label: string;
  custom_id: string;
  emoji?: { name: string };
}

export interface ActionRow {
  type: 1;
  components: ButtonJson[];
}

/**
 * What is lost if a button is left out, highest kept longest: a stance or a revision has no other way
 * in; an action or Ostrom's assessment neither, but they wait for no deadline; 📝 has `/canevas
 * statement`. The adapter ranks its own (Answer like a stance; Remind me has `/canevas remind-me`).
 */
export const RANK = { write: 0, remind: 1, assess: 2, essential: 3 } as const;

function rankOf(id: string): number {
  const verb = readButtonId(id)?.verb;
  if (verb === 'write') return RANK.write;
  if (verb === 'ostrom') return RANK.assess;
  return RANK.essential;
}

interface Placed {
  button: ButtonJson;
  /** Its place in the post's order: rows keep it, and drops take the last first. */
  order: number;
  rank: number;
  /** Buttons of one group share a row unless it holds more than five. */
  group: string;
}

/** The first row's group: the adapter's own buttons, and the core's that name no group. */
const LEAD = '';

/**
 * The message's button rows: the adapter's own first, then each group of the core's on a row of its
 * own (five at most, a longer group continues on the next). Past five rows, the smallest rows are put
 * together; if that is not enough, the least needed buttons are left out, lowest rank and last first,
 * and returned in `dropped` for the caller to log.
 */
export function buttonRows(
  own: readonly OwnButton[],
  core: readonly ActionButton[] = [],
): { rows: ActionRow[]; dropped: string[] } {
  let placed: Placed[] = [
    ...own.map((b, order) => ({
      button: {
        type: 2 as const,
        style: STYLE[b.style],
        label: clip(b.label, LABEL_LIMIT),
        custom_id: b.customId,
        ...(b.emoji ? { emoji: { name: b.emoji } } : {}),
      },
      order,
      rank: b.rank,
      group: LEAD,
    })),
    ...core
      // A longer id could not come back whole: better no button than one that names nothing.
      .filter((b) => b.id.length <= CUSTOM_ID_LIMIT)
      .map((b, i) => ({
        button: {
          type: 2 as const,
          style: STYLE[b.style ?? 'secondary'],
          label: clip(b.label, LABEL_LIMIT),
          custom_id: b.id,
        },
        order: own.length + i,
        rank: rankOf(b.id),
        group: b.group ?? LEAD,
      })),
  ];
  const dropped = core.filter((b) => b.id.length > CUSTOM_ID_LIMIT).map((b) => b.id);
  for (;;) {
    const rows = packRows(placed);
    if (rows.length <= MAX_ROWS) {
      return {
        rows: rows.map((row) => ({ type: 1, components: row.map((p) => p.button) })),
        dropped,
      };
    }
    const victim = [...placed].sort((a, b) => a.rank - b.rank || b.order - a.order)[0] as Placed;
    dropped.push(victim.button.custom_id);
    placed = placed.filter((p) => p !== victim);
  }
}

/** A row per group (split by five), then, while there are too many, the two smallest that fit together merged. */
function packRows(placed: readonly Placed[]): Placed[][] {
  const groups = new Map<string, Placed[]>();
  for (const p of placed) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  let rows: Placed[][] = [...groups.values()].flatMap((members) =>
    Array.from({ length: Math.ceil(members.length / ROW_SIZE) }, (_, i) =>
      members.slice(i * ROW_SIZE, (i + 1) * ROW_SIZE),
    ),
  );
  while (rows.length > MAX_ROWS) {
    const bySize = [...rows].sort((a, b) => a.length - b.length);
    const [small, next] = bySize;
    if (!small || !next || small.length + next.length > ROW_SIZE) break;
    const merged = [...small, ...next].sort((a, b) => a.order - b.order);
    rows = [...rows.filter((r) => r !== small && r !== next), merged];
  }
  const first = (row: Placed[]) => row[0]?.order ?? 0;
  return rows.sort((a, b) => first(a) - first(b));
}
