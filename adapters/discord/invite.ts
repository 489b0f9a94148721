import { PermissionFlagsBits } from 'discord.js';

/**
 * Exactly what the bot does in a channel: read it, post questions with embeds and the Answer button,
 * start a thread on each question and post in it, upload exports, and read thread history to catch up.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory;

/** The OAuth2 link that adds the bot and its /canevas command to a server (a guild install, never a user's). */
export function discordInviteUrl(applicationId: string): string {
  const url = new URL('https://discord.com/oauth2/authorize');
  url.searchParams.set('client_id', applicationId);
  url.searchParams.set('scope', 'bot applications.commands');
  url.searchParams.set('permissions', BOT_PERMISSIONS.toString());
  url.searchParams.set('integration_type', '0');
  return url.toString().replace(/\+/g, '%20');
}
