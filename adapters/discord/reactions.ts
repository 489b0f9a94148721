import type { MessageReaction, PartialMessageReaction, PartialUser, User } from 'discord.js';
import { channelRef, type InboundDeps } from './context.js';

/**
 * A reaction put on or taken off a message of a campaign channel or of one of its threads (where the
 * answers are): told to the core, which counts 👍 ✅ ➕ 👎 on answers as support and ignores the rest.
 * With the Message, Reaction and User partials, a reaction on a message sent before the bot started
 * arrives too, with ids only: they are all the core needs.
 */
export async function onReaction(
  deps: InboundDeps,
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  added: boolean,
): Promise<void> {
  // A custom emoji is the server's own picture, whatever its name says (one named "thumbsup" is no 👍).
  if (reaction.emoji.id || !reaction.emoji.name) return;
  if (user.bot || user.id === deps.client.user?.id) return;
  const m = reaction.message;
  if (!m.guildId) return;
  const channel = m.channel.partial ? await m.channel.fetch() : m.channel;
  // An answer lives in its question's thread; the campaign is the thread's channel's.
  const campaignChannel = channel.isThread() ? channel.parentId : channel.id;
  if (!campaignChannel) return;
  await deps.inbound.react({
    channel: channelRef(m.guildId, campaignChannel),
    messageRef: m.id,
    person: { id: user.id, name: nameOf(reaction, user) },
    emoji: reaction.emoji.name,
    added,
  });
}

/** A removal carries the member's id alone: their name as far as the bot knows it, else the id. */
function nameOf(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): string {
  const member = reaction.message.guild?.members.cache.get(user.id);
  return member?.displayName ?? user.globalName ?? user.username ?? user.id;
}
