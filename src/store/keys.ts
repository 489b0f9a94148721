import type { ChannelRef } from '../facilitation/types.js';

/**
 * Every key Canevas writes, under `canevas:`. The keys of one campaign share the hash tag `{<id>}`, so
 * each Lua script and transaction that writes a campaign touches one Redis Cluster slot. The keys
 * without a campaign's tag (the sets, a channel's pointers, thread links, templates, locks) are only
 * ever used one key per command, never together in a script: on a cluster they live in any slot.
 * A new kind of key that scripts must use with others takes a hash tag of its own, shared with them
 * (as `{canevas}:…` for BullMQ, jobs/job-types.ts, and `canevas:{playground}:…` for the playground).
 *
 *   canevas:campaigns                          set of every campaign id
 *   canevas:pending                            set of campaign ids whose inbox, effects or posts may need work
 *   canevas:{id}:campaign                      hash: `doc` (campaign JSON without answers, packed: doc-codec.ts), `version`,
 *                                              and `counted` once the two hashes below are kept for it
 *   canevas:{id}:answers                       hash: answer id -> answer JSON (with its edit history)
 *   canevas:{id}:counts                        hash: block id -> its active answers (what `status` reads)
 *   canevas:{id}:people                        hash: author id -> their active answers (none at 0)
 *   canevas:{id}:inbox                         list: inbound events, JSON, oldest first, applied in order
 *   canevas:{id}:results                       hash: inbox entry id -> result JSON (for the caller, short-lived)
 *   canevas:{id}:effects                       list: effects saved with a transition, not yet relayed to BullMQ
 *   canevas:{id}:posts                         list: posts to make, in the order their transitions were applied
 *   canevas:{id}:posts-failed                  list: posts given up on, with the error (shown by `status`)
 *   canevas:{id}:post-tries                    hash: dedupe key -> failed tries of the post at the head
 *   canevas:{id}:dead                          list: inbox entries that could not be applied, with the error
 *   canevas:{id}:lock / :post-lock             lock tokens: one applier and one poster at a time
 *   canevas:{id}:post-records                  hash: `post:<key>` platform ref of a post already sent,
 *                                              `intent:<key>` when it was first tried (an uncertain
 *                                              outcome is looked up); <key>: its dedupe key less the
 *                                              campaign id; kept 30 days after the campaign's last post
 *   canevas:{id}:intent:{dedupeKey}            (older versions) the same, one key each, 30 days: read,
 *   canevas:{id}:post:{dedupeKey}              no longer written
 *   canevas:channel:{p}:{w}:{c}:active         id of the channel's running/paused/scheduled campaign
 *   canevas:channel:{p}:{w}:{c}:latest         id of the channel's newest campaign
 *   canevas:channel:{p}:{w}:{c}:campaigns      set: every campaign of the channel (`forget-me` reaches them all)
 *   canevas:ended                              sorted set: ended campaign id -> when it ended (epoch ms), for retention
 *   canevas:indexed                            marks that campaigns stored before those two were indexed in them
 *   canevas:thread:{p}:{w}:{c}:{threadRef}     JSON {campaignId, blockId}: which question a thread answers
 *   canevas:template:{id}                      template JSON, content-addressed
 *   canevas:lock:{name}                        other locks (one per channel while a campaign starts)
 *   canevas:{schedule}:due                     sorted set: scheduled run -> when it is due (epoch ms)
 *   canevas:{schedule}:claimed                 sorted set: run being made -> when its lease runs out
 *   canevas:{schedule}:args                    hash: scheduled run -> what it carries (a nudge's round)
 *
 * The three schedule keys share the hash tag `{schedule}`, so the sweeper's scripts touch one slot (a
 * campaign's tag is its id, which always ends in a time and random digits: never `schedule`).
 */
export const PREFIX = 'canevas';

const channelPart = (c: ChannelRef) => `${c.platform}:${c.workspace}:${c.channel}`;
const of = (id: string, part: string) => `${PREFIX}:{${id}}:${part}`;

export const keys = {
  /** What every key of one campaign starts with. */
  scope: (id: string) => of(id, ''),
  campaigns: () => `${PREFIX}:campaigns`,
  pending: () => `${PREFIX}:pending`,
  campaign: (id: string) => of(id, 'campaign'),
  answers: (id: string) => of(id, 'answers'),
  counts: (id: string) => of(id, 'counts'),
  people: (id: string) => of(id, 'people'),
  inbox: (id: string) => of(id, 'inbox'),
  results: (id: string) => of(id, 'results'),
  effects: (id: string) => of(id, 'effects'),
  posts: (id: string) => of(id, 'posts'),
  postsFailed: (id: string) => of(id, 'posts-failed'),
  postTries: (id: string) => of(id, 'post-tries'),
  dead: (id: string) => of(id, 'dead'),
  campaignLock: (id: string) => of(id, 'lock'),
  postLock: (id: string) => of(id, 'post-lock'),
  postRecords: (id: string) => of(id, 'post-records'),
  intent: (id: string, dedupeKey: string) => of(id, `intent:${dedupeKey}`),
  post: (id: string, dedupeKey: string) => of(id, `post:${dedupeKey}`),
  active: (c: ChannelRef) => `${PREFIX}:channel:${channelPart(c)}:active`,
  latest: (c: ChannelRef) => `${PREFIX}:channel:${channelPart(c)}:latest`,
  channelCampaigns: (c: ChannelRef) => `${PREFIX}:channel:${channelPart(c)}:campaigns`,
  ended: () => `${PREFIX}:ended`,
  indexed: () => `${PREFIX}:indexed`,
  thread: (c: ChannelRef, threadRef: string) => `${PREFIX}:thread:${channelPart(c)}:${threadRef}`,
  template: (id: string) => `${PREFIX}:template:${id}`,
  lock: (name: string) => `${PREFIX}:lock:${name}`,
  scheduleDue: () => `${PREFIX}:{schedule}:due`,
  scheduleClaimed: () => `${PREFIX}:{schedule}:claimed`,
  scheduleArgs: () => `${PREFIX}:{schedule}:args`,
};
