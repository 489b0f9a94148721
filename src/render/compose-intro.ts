import { formatOf } from '../facilitation/rounds.js';
import type { OutboundPost } from '../platform.js';
import { type ComposeContext, canvasOf, commonView, renderWith } from './compose-views.js';

/** The first post of a campaign: what the canvas is, who made it, how to take part. */
export function composeIntro(ctx: ComposeContext): Omit<OutboundPost, 'dedupeKey'> {
  const canvas = canvasOf(ctx);
  const lang = ctx.campaign.lang;
  const view = {
    ...commonView(ctx, canvas),
    credit: ctx.template.credit[lang],
    questionCount: ctx.campaign.questions.length,
    workshop: formatOf(ctx.campaign) === 'workshop',
    ficheList: ctx.template.fiches.map((f) => ({
      number: f.number,
      title: f.title[lang],
      intro: f.intro[lang],
      blockCount: f.blocks.length,
    })),
  };
  return { kind: 'intro', text: renderWith(ctx, 'intro', view) };
}
