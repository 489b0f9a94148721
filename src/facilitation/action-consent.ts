import { parseAction } from './actions.js';
import { isEnded, ok, refuse } from './results.js';
import { addStance, consentHoursOf } from './statements.js';
import type { Campaign, CampaignEvent, Effect, Statement, TransitionResult } from './types.js';

/** Whether the answer proposes an action now: an answer of an action block, in the action shape, not deleted. */
export function isLiveAction(campaign: Campaign, answerId: string): boolean {
  const answer = campaign.answers[answerId];
  return Boolean(
    answer &&
      !answer.removedAt &&
      campaign.actionBlockIds?.includes(answer.blockId) &&
      parseAction(answer.text) !== undefined,
  );
}

/**
 * Keeps an action's consent in step with its answer, as a revised statement does: a new wording opens
 * a new consent round (stances to be given again); a withdrawn action (deleted, or no longer written as
 * an action) keeps its history, and its post says so. Any change to a proposed action edits its post.
 */
export function syncActionConsent(
  campaign: Campaign,
  answerId: string,
  at: string,
): { campaign: Campaign; effects: Effect[] } {
  const answer = campaign.answers[answerId];
  const consent = campaign.actionConsents?.[answerId];
  const update: Effect[] = consent ? [{ type: 'update-action', answerId }] : [];
  if (!answer || !isLiveAction(campaign, answerId)) return { campaign, effects: update };
  const text = answer.text.trim();
  if (consent?.versions.at(-1)?.text === text) return { campaign, effects: update };
  const closesAt = new Date(Date.parse(at) + consentHoursOf(campaign) * 3600_000).toISOString();
  const version = { text, by: { id: answer.author.id, name: answer.author.name }, at, closesAt, stances: [] };
  const next: Statement = { blockId: answer.blockId, versions: [...(consent?.versions ?? []), version] };
  return {
    campaign: { ...campaign, actionConsents: { ...campaign.actionConsents, [answerId]: next } },
    effects: [{ type: consent ? 'update-action' : 'post-action', answerId }],
  };
}

/** A member's stance on an action, as on a statement: its reason goes in the action's thread. */
export function takeActionStance(
  campaign: Campaign,
  event: Extract<CampaignEvent, { type: 'stance' }> & { answerId: string },
  now: Date,
): TransitionResult {
  if (isEnded(campaign)) return refuse('campaign-ended');
  const consent = campaign.actionConsents?.[event.answerId];
  if (!consent) return refuse('no-statement');
  if (!isLiveAction(campaign, event.answerId)) return refuse('action-withdrawn');
  const added = addStance(consent, event, now);
  if ('ok' in added) return added;
  const { answerId } = event;
  const next: Campaign = {
    ...campaign,
    actionConsents: { ...campaign.actionConsents, [answerId]: added.statement },
  };
  const effects: Effect[] = [{ type: 'update-action', answerId }];
  if (added.reason)
    effects.push({
      type: 'post-stance',
      blockId: consent.blockId,
      version: added.version,
      index: added.index,
      answerId,
    });
  const what = parseAction(campaign.answers[answerId]?.text ?? '')?.what ?? '';
  effects.push({ type: 'reply', key: `reply-action-stance-${event.stance}`, vars: { what } });
  return ok(next, effects);
}
