import { webApi } from '@slack/bolt';
import type { Logger } from '../../src/index.js';
import type { WebClient } from './client.js';

/**
 * Said to whoever types `/canevas start` in a channel the bot is not in (it could not post there, nor
 * read the answers): how to invite it. In both languages, since no campaign says which one.
 */
export function notInChannelText(botUserId?: string): string {
  const invite = botUserId ? `/invite <@${botUserId}>` : '/invite @Canevas';
  return [
    `Canevas is not in this channel yet, so it could neither post the questions nor read the answers. Invite it first: type ${invite} here, then \`/canevas start\` again. Nothing was started.`,
    `Canevas n’est pas encore dans ce canal\u00a0: il ne pourrait ni poster les questions ni lire les réponses. Invitez-le d’abord en tapant ${invite} ici, puis relancez \`/canevas start\`. Rien n’a été lancé.`,
  ].join('\n\n');
}

/**
 * Whether the bot is a member of the channel, by `conversations.info` (channels:read for public
 * channels, groups:read for private ones). A private channel the bot is not in is hidden from it
 * (`channel_not_found`). Any other failure (a DM, which needs im:read, or Slack down) says nothing
 * either way: the command goes on, as it did before this check existed.
 */
export async function botIsMember(client: WebClient, channel: string, logger: Logger): Promise<boolean> {
  try {
    const res = await client.conversations.info({ channel });
    return res.channel?.is_member !== false;
  } catch (err) {
    const { code, data } = err as { code?: string; data?: { error?: string } };
    if (code === webApi.ErrorCode.PlatformError && data?.error === 'channel_not_found') return false;
    logger.warn({ err: (err as Error).message, channel }, 'slack channel membership unknown');
    return true;
  }
}
