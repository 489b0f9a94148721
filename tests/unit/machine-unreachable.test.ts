import { describe, expect, it } from 'vitest';
import { transition } from '../../src/facilitation/machine.js';
import type { Campaign, CampaignEvent, Effect } from '../../src/facilitation/types.js';
import { planEffects } from '../../src/jobs/plan-effects.js';
import { ada, newCampaign, T0 } from '../fixtures/campaigns.js';

const later = new Date(T0.getTime() + 60 * 60_000);
const unreachable: CampaignEvent = { type: 'unreachable' };

function apply(
  campaign: Campaign,
  event: CampaignEvent,
  now = T0,
): { campaign: Campaign; effects: Effect[] } {
  const result = transition(campaign, event, now);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result;
}

const started = () => apply(newCampaign(), { type: 'start', actor: ada }).campaign;

describe('a campaign whose workspace the platform can no longer reach', () => {
  it('ends as with stop (questions closed, schedule removed) but asks for no post at all', () => {
    const running = started();
    expect(running.questions.some((q) => q.status === 'open')).toBe(true);
    const { campaign, effects } = apply(running, unreachable, later);
    expect(campaign).toMatchObject({ status: 'completed', endedAt: later.toISOString() });
    expect(campaign.questions.some((q) => q.status === 'open')).toBe(false);
    expect(effects).toContainEqual({ type: 'remove-schedule' });
    const plan = planEffects(campaign, campaign.version + 1, effects);
    expect(plan.posts).toEqual([]);
    expect(plan.relay).toEqual([{ type: 'remove-schedule' }]);
    // What stop does on the same campaign, for contrast: a summary, a notice, a progress edit.
    const stopped = apply(running, { type: 'stop', actor: ada }, later);
    expect(planEffects(stopped.campaign, 2, stopped.effects).posts.length).toBeGreaterThan(0);
  });

  it('cancels one not started yet, and leaves an ended one as it was (the event may come twice)', () => {
    const { campaign, effects } = apply(newCampaign(), unreachable, later);
    expect(campaign.status).toBe('cancelled');
    expect(effects).toEqual([{ type: 'remove-schedule' }]);
    const again = apply(campaign, unreachable, new Date(later.getTime() + 1000));
    expect(again).toEqual({ ok: true, campaign, effects: [] });
  });
});
