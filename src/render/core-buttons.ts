import { findBlock } from '../canvas/template-loader.js';
import { isActionBlock } from '../facilitation/actions.js';
import { buttonId, campaignTag } from '../interactions/button-ids.js';
import { ostromParts } from '../interactions/interactions.js';
import type { ActionButton } from '../platform.js';
import type { ComposeContext } from './compose-views.js';
import { interactionWords } from './interaction-words.js';
import { clip } from './view-helpers.js';

/**
 * "Write the shared version" of each of these blocks that has none yet (for admins): on the post that
 * follows their round. A written one is revised from its consent buttons instead.
 */
export function writeButtons(ctx: ComposeContext, blockIds: readonly string[]): ActionButton[] {
  const { campaign, template } = ctx;
  const tag = campaignTag(campaign.id);
  return blockIds
    .filter((blockId) => !campaign.statements?.[blockId])
    .map((blockId) => {
      const title = findBlock(template, blockId)?.block.title[campaign.lang] ?? blockId;
      return {
        id: buttonId({ verb: 'write', tag, blockId }),
        label: clipLabel(`📝 ${title}`),
        group: 'write',
      };
    });
}

/** "Propose an action" on the question post of an action block. */
export function actionButtons(ctx: ComposeContext, blockId: string): ActionButton[] {
  if (!isActionBlock(ctx.template, blockId)) return [];
  const label = interactionWords(ctx.campaign.lang).addAction;
  return [{ id: buttonId({ verb: 'action', tag: campaignTag(ctx.campaign.id), blockId }), label }];
}

/** "Ostrom's principles" in parts (a form per part): near the end, to rate each principle together. */
export function ostromButtons(ctx: ComposeContext): ActionButton[] {
  const parts = ostromParts(ctx.template);
  const words = interactionWords(ctx.campaign.lang);
  const tag = campaignTag(ctx.campaign.id);
  return Array.from({ length: parts }, (_, i) => ({
    id: buttonId({ verb: 'ostrom', tag, part: i + 1 }),
    label: words.rateOstrom(i + 1, parts),
    group: 'ostrom',
  }));
}

/** Button labels: Discord takes 80 characters, Slack 75. */
export const clipLabel = (label: string) => clip(label, 75);
