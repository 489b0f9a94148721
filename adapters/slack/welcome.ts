import {
  composeHome,
  composeWelcome,
  type Lang,
  type Logger,
  type Renderer,
  type WorkspaceCampaign,
} from '../../src/index.js';
import type { WebClient } from './client.js';
import { slackFormat } from './format.js';

/** How a member invites the bot to a channel: Slack shows the mention as the bot's own name. */
export function inviteMarkup(botUserId?: string): string {
  return botUserId ? `/invite <@${botUserId}>` : '/invite @Canevas';
}

/** The Home tab's two parts: how to start, then the campaigns of the viewer's channels. */
export function composeHomeText(
  renderer: Renderer,
  lang: Lang,
  invite: string,
  campaigns: readonly WorkspaceCampaign[],
): { welcome: string; campaigns: string } {
  const listed = campaigns.map((c) => ({ ...c, where: `<#${c.channel.channel}>` }));
  return {
    welcome: composeWelcome(lang, slackFormat, renderer, invite),
    campaigns: composeHome(lang, slackFormat, renderer, listed),
  };
}

/**
 * The welcome, sent to the person who just installed the app as a message from the app (its
 * Messages tab). Best effort: the install is done whether or not it arrives.
 */
export async function welcomeInstaller(
  client: WebClient,
  installer: { user: string; botUserId?: string },
  words: { renderer: Renderer; lang: Lang },
  logger: Logger,
): Promise<void> {
  const text = composeWelcome(words.lang, slackFormat, words.renderer, inviteMarkup(installer.botUserId));
  try {
    await client.chat.postMessage({
      channel: installer.user,
      text,
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'slack welcome message not sent');
  }
}
