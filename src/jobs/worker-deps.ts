import type { TemplateCache } from '../canvas/template-cache.js';
import type { CampaignEvent, PlatformName } from '../facilitation/types.js';
import type { Logger } from '../logger.js';
import type { ChatPlatform } from '../platform.js';
import type { Renderer } from '../render/renderer.js';
import type { CampaignLists } from '../store/campaign-lists.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { CampaignStore } from '../store/types.js';
import type { Queues } from './queues.js';

/** How workers hand events back to the core: the same durable way in as the platforms' events. */
export interface CampaignEvents {
  /** Writes the event to the campaign's inbox (durable once this returns) and applies what it can. */
  submit(campaignId: string, event: CampaignEvent): Promise<void>;
  /** Applies the campaign's pending events and relays its saved effects: what the recovery calls. */
  settle(campaignId: string): Promise<void>;
}

export interface WorkerDeps {
  store: CampaignStore;
  lists: CampaignLists;
  queues: Queues;
  schedule: ScheduleStore;
  events: CampaignEvents;
  templates: TemplateCache;
  renderer: Renderer;
  platforms: ReadonlyMap<PlatformName, ChatPlatform>;
  publicUrl: string;
  /** Days an ended campaign is kept before it is purged (CANEVAS_RETENTION_DAYS); unset: kept. */
  retentionDays?: number;
  logger: Logger;
  clock?: () => Date;
}
