import { projectPlan } from '../facilitation/plan.js';
import type { PlatformName } from '../facilitation/types.js';
import { composeStatus, type PostFailures } from './compose-text.js';
import type { ComposeContext } from './compose-views.js';

/**
 * `/canevas status` texts already composed, by everything one is made of: the campaign at its version
 * (its document and its answer counts move the version together), its template, the platform, the
 * failed posts, and what the clock changes in it (the next post, the plan's dates). Asked again and
 * again while nothing changed, the text is rendered once; rendering it was a quarter of the work of a
 * `status` at 500 a second.
 */
export class StatusTexts {
  private readonly texts = new Map<string, string>();

  constructor(private readonly max = 1000) {}

  text(
    platform: PlatformName,
    ctx: ComposeContext,
    nextRunAt: Date | undefined,
    failures: PostFailures,
  ): string {
    const { campaign } = ctx;
    const plan = projectPlan(campaign, ctx.template, ctx.now);
    const key = JSON.stringify([
      campaign.id,
      campaign.version,
      campaign.templateId,
      platform,
      failures,
      nextRunAt?.getTime() ?? null,
      plan.rounds.map((r) => [r.status, r.opensAt, r.closesAt]),
      plan.endsAt ?? null,
    ]);
    let text = this.texts.get(key);
    if (text === undefined) {
      text = composeStatus(ctx, nextRunAt, failures);
      // A Map iterates in insertion order: the first key is the one used longest ago.
      if (this.texts.size >= this.max) this.texts.delete(this.texts.keys().next().value as string);
    } else this.texts.delete(key);
    this.texts.set(key, text);
    return text;
  }
}
