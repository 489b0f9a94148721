import type { App, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import type { Lang, Renderer } from '../../src/index.js';
import { splitText } from './blocks.js';
import type { WebClient } from './client.js';
import type { ListenerContext } from './listener-context.js';
import { parsePayload } from './payloads.js';
import { composeHomeText, inviteMarkup } from './welcome.js';

export interface LifecycleDeps {
  installations: InstallationStore;
  renderer: Renderer;
  /** CANEVAS_LANG: the home page and the welcome speak it. */
  lang: Lang;
}

/** What an uninstall or a revocation says: the workspace it happened in. */
const teamOf = (body: unknown, fallback?: string) => (body as { team_id?: string }).team_id || fallback || '';

const tokensRevoked = z.object({
  type: z.literal('tokens_revoked'),
  tokens: z.object({ oauth: z.array(z.string()).nullish(), bot: z.array(z.string()).nullish() }),
});

const homeOpened = z.object({
  type: z.literal('app_home_opened'),
  user: z.string().min(1),
  tab: z.string().optional(),
});

/** Newest first; enough for a page, and well within the 100 blocks a view may hold. */
const HOME_CAMPAIGNS = 40;
/** users.conversations pages of 200 channels: a member of more than 2,000 sees the first ones. */
const CHANNEL_PAGES = 10;

/**
 * The app's own life in a workspace: an uninstall or a revoked bot token deletes the installation
 * and ends the workspace's campaigns without posting; opening the app's Home tab shows how to start
 * and the campaigns of the viewer's channels.
 */
export function registerLifecycle(app: App, ctx: ListenerContext, deps: LifecycleDeps): void {
  const removed = async (team: string) => {
    if (!team) return;
    await deps.installations.deleteInstallation?.({
      teamId: team,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    await ctx.core().workspaceRemoved({ platform: 'slack', workspace: team });
  };

  app.event('app_uninstalled', async ({ body, context }) => {
    await removed(teamOf(body, context.teamId));
  });

  app.event('tokens_revoked', async ({ event, body, context }) => {
    const revoked = ctx.read(parsePayload(tokensRevoked, event), 'tokens_revoked event');
    // Only members' tokens: Canevas holds none of those, and its bot goes on.
    if (!revoked?.tokens.bot?.length) return;
    await removed(teamOf(body, context.teamId));
  });

  app.event('app_home_opened', async ({ event, body, client, context }) => {
    const opened = ctx.read(parsePayload(homeOpened, event), 'app_home_opened event');
    if (!opened || (opened.tab && opened.tab !== 'home')) return;
    const team = teamOf(body, context.teamId);
    const all = await ctx.core().workspaceCampaigns({ platform: 'slack', workspace: team });
    // A campaign's canvas link carries its key: shown only to members of its channel.
    const mine = all.length > 0 ? await channelsOf(client, opened.user, ctx) : new Set<string>();
    const visible = all.filter((c) => mine.has(c.channel.channel)).slice(0, HOME_CAMPAIGNS);
    const text = composeHomeText(deps.renderer, deps.lang, inviteMarkup(context.botUserId), visible);
    await client.views.publish({
      user_id: opened.user,
      view: {
        type: 'home',
        blocks: [
          ...splitText(text.welcome).map(section),
          { type: 'divider' },
          ...splitText(text.campaigns).map(section),
        ],
      },
    });
  });
}

const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });

/** The channels the member is in (those the bot can see: every campaign's channel is one). */
async function channelsOf(client: WebClient, user: string, ctx: ListenerContext): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  try {
    for (let page = 0; page < CHANNEL_PAGES; page++) {
      const res = await client.users.conversations({
        user,
        types: 'public_channel,private_channel',
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      for (const c of res.channels ?? []) if (c.id) ids.add(c.id);
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
  } catch (err) {
    // An install from before channels:read was asked for: the page shows how to start, no campaign.
    ctx.logger.warn({ err: (err as Error).message }, "slack member's channels unknown");
  }
  return ids;
}
