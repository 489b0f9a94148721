import type { Campaign } from '../facilitation/types.js';
import type { CampaignStore } from '../store/types.js';
import type { CanvasTemplate } from './template-schema.js';

export interface TemplateCache {
  of(campaign: Campaign): Promise<CanvasTemplate>;
  remember(id: string, template: CanvasTemplate): void;
}

/** Templates are content-addressed, so one read per process is enough. */
export function createTemplateCache(store: Pick<CampaignStore, 'getTemplate'>): TemplateCache {
  const cache = new Map<string, CanvasTemplate>();
  return {
    async of(campaign) {
      const cached = cache.get(campaign.templateId);
      if (cached) return cached;
      const template = await store.getTemplate(campaign.templateId);
      if (!template) throw new Error(`template ${campaign.templateId} of campaign ${campaign.id} is missing`);
      cache.set(campaign.templateId, template);
      return template;
    },
    remember: (id, template) => void cache.set(id, template),
  };
}
