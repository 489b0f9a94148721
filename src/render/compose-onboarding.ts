import type { Lang } from '../facilitation/types.js';
import type { TextFormat } from '../platform.js';
import type { WorkspaceCampaign } from '../workspaces.js';
import { linkLambda } from './compose-views.js';
import type { Renderer } from './renderer.js';

/**
 * What a newcomer reads once the app is added (a DM to the installer, a server's system channel, the
 * top of the app's home page): what Canevas does and how to start. `invite` is the platform's own
 * markup for inviting the bot to a channel (Slack's `/invite @Canevas`); empty where the bot sees
 * channels without an invitation.
 */
export function composeWelcome(lang: Lang, format: TextFormat, renderer: Renderer, invite = ''): string {
  return renderer.render(lang, 'welcome', { invite }, format);
}

/** A campaign on the home page: `where` is the platform's markup naming its channel (`<#C123>`). */
export type HomeCampaign = Pick<WorkspaceCampaign, 'title' | 'status' | 'canvasUrl'> & { where: string };

/** The list of campaigns on the app's home page, each with its state and a link to its canvas. */
export function composeHome(
  lang: Lang,
  format: TextFormat,
  renderer: Renderer,
  campaigns: readonly HomeCampaign[],
): string {
  const view = {
    campaigns: campaigns.map((c) => ({
      title: c.title,
      where: c.where,
      running: c.status === 'running',
      paused: c.status === 'paused',
      scheduled: c.status === 'scheduled',
      ended: c.status === 'completed' || c.status === 'cancelled',
      link: linkLambda(format, c.canvasUrl),
    })),
  };
  return renderer.render(lang, 'home', view, format);
}
