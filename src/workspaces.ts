import type { TemplateCache } from './canvas/template-cache.js';
import type { Campaign, CampaignStatus, ChannelRef, PlatformName } from './facilitation/types.js';
import type { OutboxItem } from './jobs/job-types.js';
import type { Logger } from './logger.js';
import { canvasUrl } from './render/view-helpers.js';
import type { CampaignLists } from './store/campaign-lists.js';
import type { CampaignStore } from './store/types.js';

/** One workspace of a platform: a Slack team, a Discord guild. */
export interface WorkspaceRef {
  platform: PlatformName;
  workspace: string;
}

/** A campaign as a workspace's home page lists it. */
export interface WorkspaceCampaign {
  id: string;
  channel: ChannelRef;
  /** The name given at start, or the template's name, in the campaign's language. */
  title: string;
  status: CampaignStatus;
  /** The canvas page, with the campaign's key: only for people who may see the channel. */
  canvasUrl: string;
  createdAt: string;
  endedAt?: string;
}

export interface WorkspaceDeps {
  store: CampaignStore;
  lists: CampaignLists;
  templates: TemplateCache;
  publicUrl: string;
  logger: Logger;
  now(): Date;
}

/** What a queued post of a workspace that removed the app is given up with (shown by `status`). */
export const UNREACHABLE_ERROR = 'the app was removed from this workspace, or its access revoked';

/**
 * The campaigns of a workspace, read without their answers. Every campaign id is visited: a
 * self-hosted deployment holds tens to hundreds of them, and an index by workspace would have to be
 * rebuilt for the campaigns stored before it existed.
 */
async function campaignsOf(store: CampaignStore, ref: WorkspaceRef): Promise<Campaign[]> {
  const found: Campaign[] = [];
  for (const id of await store.listIds()) {
    // A campaign that cannot be read is left out here; `status` in its channel says what is wrong.
    const campaign = (await store.load(id, []).catch(() => null))?.campaign;
    const { platform, workspace } = campaign?.channel ?? {};
    if (campaign && platform === ref.platform && workspace === ref.workspace) found.push(campaign);
  }
  return found;
}

/** The workspace's campaigns, newest first. */
export async function listWorkspaceCampaigns(
  deps: WorkspaceDeps,
  ref: WorkspaceRef,
): Promise<WorkspaceCampaign[]> {
  const campaigns = await campaignsOf(deps.store, ref);
  campaigns.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return Promise.all(
    campaigns.map(async (c) => ({
      id: c.id,
      channel: c.channel,
      title:
        c.name ??
        (await deps.templates
          .of(c)
          .then((t) => t.name[c.lang])
          .catch(() => c.id)),
      status: c.status,
      canvasUrl: canvasUrl(deps.publicUrl, c.id, c.key),
      createdAt: c.createdAt,
      ...(c.endedAt ? { endedAt: c.endedAt } : {}),
    })),
  );
}

/**
 * Ends every campaign of a workspace the platform can no longer reach, without posting, and gives up
 * the posts still queued for them: nothing is tried again against a workspace that is gone. `end`
 * submits the event to a campaign (durable) and waits a little for it to be applied.
 */
export async function endWorkspace(
  deps: WorkspaceDeps,
  ref: WorkspaceRef,
  end: (campaignId: string) => Promise<unknown>,
): Promise<{ ended: number; dropped: number }> {
  const live = (await campaignsOf(deps.store, ref)).filter(
    (c) => c.status !== 'completed' && c.status !== 'cancelled',
  );
  await Promise.all(live.map((c) => end(c.id)));
  let dropped = 0;
  for (const c of await campaignsOf(deps.store, ref)) dropped += await giveUpQueuedPosts(deps, c.id);
  deps.logger.info({ ...ref, ended: live.length, dropped }, 'workspace removed: its campaigns ended');
  return { ended: live.length, dropped };
}

/** Takes every queued post of the campaign off its list, recorded as given up. */
async function giveUpQueuedPosts(deps: WorkspaceDeps, campaignId: string): Promise<number> {
  let dropped = 0;
  const at = deps.now().toISOString();
  for (;;) {
    const [raw] = await deps.lists.postsHeads(campaignId, 1);
    if (!raw) return dropped;
    const item = readItem(raw);
    // Only if it is still the head: a worker may have made or given it up meanwhile (a worker's pass
    // takes its posts off the list only while they are still at its head, in order).
    await deps.lists.giveUpPost(campaignId, raw, {
      dedupeKey: item?.dedupeKey ?? '',
      kind: item?.kind ?? 'unknown',
      error: UNREACHABLE_ERROR,
      at,
    });
    dropped += 1;
  }
}

function readItem(raw: string): Pick<OutboxItem, 'dedupeKey' | 'kind'> | undefined {
  try {
    return JSON.parse(raw) as OutboxItem;
  } catch {
    return undefined;
  }
}
