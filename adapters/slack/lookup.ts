import type { ChannelRef, PostAttempt, RedisClient } from '../../src/index.js';
import type { WebClient } from './client.js';
import { pace } from './pacer.js';

/** The `event_type` of the metadata every post carries: how a retry recognises what it made. */
export const POST_EVENT_TYPE = 'canevas_post';

/** Clocks differ: a post made just after `uncertainSince` here may carry a slightly older ts. */
const CLOCK_MARGIN_MS = 60_000;
/** Apps limited by Slack get 15 messages a call whatever they ask; the others get this many. */
const LOOKUP_LIMIT = 50;

/** One message as conversations.history / .replies return it, with the fields a lookup reads. */
export interface SeenMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  files?: { id?: string; name?: string }[];
}

export interface LookupDeps {
  redis: RedisClient;
  /** Minimum time between two lookups in one workspace (Slack allows new apps about one a minute). */
  lookupPaceMs?: number;
}

/** Slack's ts form of a time: seconds with six decimals. */
export function slackTs(ms: number): string {
  return (ms / 1000).toFixed(6);
}

/**
 * What the bot may have made since an uncertain try began: the channel's newest top-level messages,
 * or a thread's first replies when `threadTs` is set. One call, paced per workspace, because Slack
 * rate-limits these methods hard; metadata is asked for so parts can be told apart.
 */
export async function lookUpSince(
  client: WebClient,
  deps: LookupDeps,
  channel: ChannelRef,
  attempt: PostAttempt,
  threadTs?: string,
): Promise<SeenMessage[]> {
  const since = Date.parse(attempt.uncertainSince);
  const oldest = slackTs((Number.isNaN(since) ? 0 : since) - CLOCK_MARGIN_MS);
  await pace(deps.redis, `lookup:${channel.workspace}`, deps.lookupPaceMs ?? 60_000);
  const common = { channel: channel.channel, oldest, limit: LOOKUP_LIMIT, include_all_metadata: true };
  const res = threadTs
    ? await client.conversations.replies({ ...common, ts: threadTs })
    : await client.conversations.history(common);
  return (res.messages ?? []) as SeenMessage[];
}

/** The ts of each part of the post with `key` among `messages`, by part number. */
export function partsIn(messages: SeenMessage[], key: string): Map<number, string> {
  const parts = new Map<number, string>();
  for (const m of messages) {
    const payload = m.metadata?.event_type === POST_EVENT_TYPE ? m.metadata.event_payload : undefined;
    if (!m.ts || payload?.key !== key) continue;
    const part = Number(payload.part ?? 0);
    const known = parts.get(part);
    // Should a part exist twice (made before this lookup existed), the first one is the post's.
    if (known === undefined || tsValue(m.ts) < tsValue(known)) parts.set(part, m.ts);
  }
  return parts;
}

/**
 * The file named `name` shared after `afterTs`, with the ts of its message. Files carry no metadata,
 * so the name and the time are all there is: a same-named file shared in that window is taken for it.
 */
export function fileIn(
  messages: SeenMessage[],
  name: string,
  afterTs = '0',
): { ts: string; id?: string } | undefined {
  let best: { ts: string; id?: string } | undefined;
  for (const m of messages) {
    const file = m.files?.find((f) => f.name === name);
    if (!m.ts || !file || tsValue(m.ts) <= tsValue(afterTs)) continue;
    if (!best || tsValue(m.ts) < tsValue(best.ts)) best = { ts: m.ts, id: file.id };
  }
  return best;
}

/** A ts as an exact number: sixteen digits are past what a double keeps. */
function tsValue(ts: string): bigint {
  const [seconds = '0', micros = ''] = ts.split('.');
  return BigInt(seconds) * 1_000_000n + BigInt(micros.padEnd(6, '0').slice(0, 6) || '0');
}
