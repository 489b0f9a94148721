import {
  type ChannelRef,
  createRedisStore,
  createTemplateCache,
  findBlock,
  type RedisClient,
} from '../../src/index.js';
import { clip } from './split.js';

/** Discord offers at most 25 choices, each named and valued in 100 characters at most. */
const MAX_CHOICES = 25;
const CHOICE_LIMIT = 100;

export interface Choice {
  name: string;
  value: string;
}

/** The questions of a channel's campaign whose id or title holds what was typed. */
export type BlockChoices = (channel: ChannelRef, typed: string) => Promise<Choice[]>;

/**
 * Suggestions for `/canevas statement block:`: a block id is not something an admin knows by heart.
 * Read from the store (the campaign and its template, as the core keeps them), never written.
 * Questions already asked come first, the ones a statement is written for.
 */
export function blockChoices(redis: RedisClient): BlockChoices {
  const store = createRedisStore(redis);
  const templates = createTemplateCache(store);
  return async (channel, typed) => {
    const id = (await store.activeId(channel)) ?? (await store.latestId(channel));
    const campaign = id ? await store.get(id) : null;
    if (!campaign) return [];
    const template = await templates.of(campaign);
    const lower = typed.trim().toLowerCase();
    const asked = campaign.questions.filter((q) => q.status !== 'pending');
    const later = campaign.questions.filter((q) => q.status === 'pending');
    return [...asked, ...later]
      .map((q) => {
        const title = findBlock(template, q.blockId)?.block.title[campaign.lang];
        return { name: title ? `${q.blockId} · ${title}` : q.blockId, value: q.blockId };
      })
      .filter((c) => c.name.toLowerCase().includes(lower) && c.value.length <= CHOICE_LIMIT)
      .slice(0, MAX_CHOICES)
      .map((c) => ({ ...c, name: clip(c.name, CHOICE_LIMIT) }));
  };
}
