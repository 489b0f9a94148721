import { findBlock } from '../canvas/template-loader.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Campaign } from '../facilitation/types.js';
import type { AppliedResult } from '../inbox.js';
import { formatDeadline } from './view-helpers.js';

/**
 * A result's vars in words the reply can show: a block id also as its title, a deadline (ISO) also in
 * the campaign's language and zone. The machine knows ids and instants; the words need the template.
 */
export function withWords(
  result: AppliedResult | 'queued',
  campaign: Campaign,
  template: CanvasTemplate,
): AppliedResult | 'queued' {
  if (result === 'queued') return result;
  const vars = result.ok ? result.reply?.vars : result.vars;
  if (!vars) return result;
  const words = { ...vars };
  if (typeof vars.blockId === 'string')
    words.blockTitle = findBlock(template, vars.blockId)?.block.title[campaign.lang] ?? vars.blockId;
  if (typeof vars.closesAt === 'string' && !Number.isNaN(Date.parse(vars.closesAt)))
    words.closesAt = formatDeadline(vars.closesAt, campaign.lang, campaign.tz);
  if (!result.ok) return { ...result, vars: words };
  return result.reply ? { ...result, reply: { ...result.reply, vars: words } } : result;
}
