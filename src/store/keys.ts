import type { ChannelRef } from '../facilitation/types.js';

/**
 * Every key Canevas writes, under `canevas:`.
 *
 *   canevas:campaigns                          set of every campaign id
 *   canevas:campaign:{id}                      hash: `doc` (campaign JSON without answers), `version`
 *   canevas:campaign:{id}:answers              hash: answer id -> answer JSON (with its edit history)
 *   canevas:channel:{p}:{w}:{c}:active         id of the channel's running/paused/scheduled campaign
 *   canevas:channel:{p}:{w}:{c}:latest         id of the channel's newest campaign
 *   canevas:thread:{p}:{w}:{c}:{threadRef}     JSON {campaignId, blockId}: which question a thread answers
 *   canevas:template:{id}                      template JSON, content-addressed
 *   canevas:post:{dedupeKey}                   platform ref of a post already sent (kept 30 days)
 *   canevas:lock:{name}                        a lock token (one per campaign, one per channel for start)
 */
export const PREFIX = 'canevas';

const channelPart = (c: ChannelRef) => `${c.platform}:${c.workspace}:${c.channel}`;

export const keys = {
  campaigns: () => `${PREFIX}:campaigns`,
  campaign: (id: string) => `${PREFIX}:campaign:${id}`,
  answers: (id: string) => `${PREFIX}:campaign:${id}:answers`,
  active: (c: ChannelRef) => `${PREFIX}:channel:${channelPart(c)}:active`,
  latest: (c: ChannelRef) => `${PREFIX}:channel:${channelPart(c)}:latest`,
  thread: (c: ChannelRef, threadRef: string) => `${PREFIX}:thread:${channelPart(c)}:${threadRef}`,
  template: (id: string) => `${PREFIX}:template:${id}`,
  post: (dedupeKey: string) => `${PREFIX}:post:${dedupeKey}`,
  lock: (name: string) => `${PREFIX}:lock:${name}`,
};
