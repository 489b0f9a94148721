import { compareInstants } from '../facilitation/instant-order.js';
import type { Answer, Campaign } from '../facilitation/types.js';
import type { DocCache, KeptDoc } from './doc-cache.js';
import { unpackDoc } from './doc-codec.js';
import type { InboxTurn } from './types.js';

type ReadNextReply = [number, string?, string?, (string | null)?, string[]?, (string | null)[]?];

/**
 * An InboxTurn from READ_NEXT's reply (inbox-scripts.ts). `sent` is the document whose version the
 * caller sent: Redis left the document out because it is that one.
 */
export function turnOf(
  campaignId: string,
  reply: unknown[],
  sent: KeptDoc | undefined,
  docs: DocCache,
): InboxTurn {
  const [effects, head, version, packed, ids, values] = reply as ReadNextReply;
  if (!head) return { effects, head: null };
  if (version === undefined || ids === undefined || (packed === null && !sent)) return { effects, head };
  const load = () => {
    const kept = packed
      ? docs.keep(campaignId, version, packed.length, unpackDoc(packed))
      : (sent as KeptDoc);
    const { answers, raw } = byCreation(
      ids.flatMap((id, i) => (values?.[i] ? [[id, values[i]] as [string, string]] : [])),
    );
    const campaign = { ...kept.doc, answers, version: Number(version) } as Campaign;
    return { campaign, doc: kept.json, answers: raw, storedLength: kept.storedLength };
  };
  return { effects, head, read: { answerIds: ids, load } };
}

/** Redis hash order is not stable: creation order keeps reads and exports the same after a reload. */
export function byCreation(entries: [string, string][]): {
  answers: Record<string, Answer>;
  raw: Map<string, string>;
} {
  const parsed = entries
    .map(([id, json]) => ({ id, json, answer: JSON.parse(json) as Answer }))
    .sort((a, b) => compareInstants(a.answer.createdAt, b.answer.createdAt) || a.id.localeCompare(b.id));
  const answers: Record<string, Answer> = {};
  const raw = new Map<string, string>();
  for (const { id, json, answer } of parsed) {
    answers[id] = answer;
    raw.set(id, json);
  }
  return { answers, raw };
}
