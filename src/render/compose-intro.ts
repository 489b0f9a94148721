import { formatOf } from '../facilitation/rounds.js';
import type { OutboundPost } from '../platform.js';
import { type ComposeContext, commonView, figuresOf, renderWith } from './compose-views.js';

/**
 * The first post of a campaign: what the canvas is, who made it, how to take part, and what becomes of
 * members' answers (where they are compiled, with or without names, for how long, how to take them back).
 */
export function composeIntro(ctx: ComposeContext): Omit<OutboundPost, 'dedupeKey'> {
  const lang = ctx.campaign.lang;
  const view = {
    ...commonView(ctx, figuresOf(ctx)),
    credit: ctx.template.credit[lang],
    questionCount: ctx.campaign.questions.length,
    workshop: formatOf(ctx.campaign) === 'workshop',
    // What members are told about their data: anonymity, and how long it is kept (0: until deleted).
    anonymous: ctx.campaign.anonymous === true,
    retentionDays: ctx.retentionDays ?? 0,
    ficheList: ctx.template.fiches.map((f) => ({
      number: f.number,
      title: f.title[lang],
      intro: f.intro[lang],
      blockCount: f.blocks.length,
    })),
  };
  return { kind: 'intro', text: renderWith(ctx, 'intro', view) };
}
