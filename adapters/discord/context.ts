import { type Client, type Interaction, PermissionFlagsBits, type REST } from 'discord.js';
import type { Actor, ChannelRef, Inbound, Logger } from '../../src/index.js';
import type { BlockChoices } from './block-choices.js';

export interface InboundDeps {
  client: Client;
  rest: REST;
  inbound: Inbound;
  admins: readonly string[];
  logger: Logger;
  /** Suggestions for `/canevas statement block:` (none without them). */
  blocks?: BlockChoices;
}

/** The bot's messages never ping: not the member it answers, nor anyone its text names. */
export const NO_MENTIONS = { parse: [] };

export const channelRef = (guildId: string, channel: string): ChannelRef => ({
  platform: 'discord',
  workspace: guildId,
  channel,
});

/** A guild interaction, whatever its kind: what the core needs to know of who acted and where. */
type InGuild = Interaction<'cached' | 'raw'>;

/** Typed (or pressed) in a question's thread, an interaction is about the campaign of the thread's channel. */
export function campaignChannelOf(i: InGuild): string {
  const channel = i.channel;
  return channel?.isThread() && channel.parentId ? channel.parentId : (i.channelId ?? '');
}

export function displayName(i: Interaction): string {
  const member = i.member;
  const nick = member && 'nick' in member ? member.nick : undefined;
  return nick ?? i.user.globalName ?? i.user.username;
}

/** Admins manage the server, or are named in CANEVAS_ADMINS. */
export function actorOf(deps: Pick<InboundDeps, 'admins'>, i: InGuild): Actor {
  const isAdmin =
    (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false) || deps.admins.includes(i.user.id);
  return { id: i.user.id, name: displayName(i), isAdmin };
}
