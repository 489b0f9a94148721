import { forgottenCount } from '../facilitation/forget.js';
import type { Lang } from '../facilitation/types.js';
import type { TextFormat } from '../platform.js';
import { composeStatusPlan } from './compose-round.js';
import { type ComposeContext, commonView, figuresOf, renderWith } from './compose-views.js';
import type { PromptKey } from './message-keys.js';
import { completeVars } from './prompt-vars.js';
import type { Renderer } from './renderer.js';
import { formatDateTime } from './view-helpers.js';

/** Posts the outbox gave up on after its retries, so admins learn of them in `status`. */
export interface PostFailures {
  count: number;
  lastError: string;
}

/**
 * `/canevas status`: an ephemeral text, so a string rather than a post. Counts only: from `figures`
 * when the caller has them (the engine reads the counts kept with the campaign), else from its canvas.
 */
export function composeStatus(ctx: ComposeContext, nextRunAt?: Date, failures?: PostFailures): string {
  const figures = figuresOf(ctx);
  const withFigures = { ...ctx, figures };
  const { campaign } = ctx;
  const counts = figures.blocks;
  const asked = campaign.questions
    .map((q, index) => ({ q, index }))
    .filter(({ q }) => q.status !== 'pending')
    .map(({ q, index }) => ({
      position: index + 1,
      title: counts.get(q.blockId)?.title ?? q.blockId,
      count: counts.get(q.blockId)?.count ?? 0,
      open: q.status === 'open',
      skipped: q.status === 'skipped',
    }));
  const view = {
    ...commonView(ctx, figures),
    state: {
      scheduled: campaign.status === 'scheduled',
      running: campaign.status === 'running',
      paused: campaign.status === 'paused',
      completed: campaign.status === 'completed',
      cancelled: campaign.status === 'cancelled',
    },
    campaignId: campaign.id,
    anonymous: campaign.anonymous === true,
    // Kept in the campaign's document: no answer is read for it.
    forgottenAnswers: forgottenCount(campaign),
    askedBlocks: asked,
    hasAsked: asked.length > 0,
    hasNextAt: nextRunAt !== undefined,
    nextAt: nextRunAt ? formatDateTime(nextRunAt, campaign.lang, campaign.tz) : '',
    hasFailures: (failures?.count ?? 0) > 0,
    failureCount: failures?.count ?? 0,
    lastError: failures?.lastError ?? '',
  };
  // The plan is its own prompt, appended, so the status prompt stays as it was.
  return `${renderWith(ctx, 'status', view)}\n\n${composeStatusPlan(withFigures)}`;
}

export function composeHelp(lang: Lang, format: TextFormat, renderer: Renderer): string {
  return renderer.render(lang, 'help', {}, format);
}

/** An ephemeral confirmation or error (keys reply-* and error-*), outside any campaign context. */
export function composeReply(
  lang: Lang,
  key: PromptKey,
  vars: Record<string, string | number>,
  format: TextFormat,
  renderer: Renderer,
): string {
  return renderer.render(lang, key, completeVars(key, vars, lang), format);
}
