import { isEnded, ok, type Refusal, refuse } from './results.js';
import { roundsOf } from './rounds.js';
import {
  type Campaign,
  type CampaignEvent,
  DEFAULT_CONSENT_HOURS,
  DEFAULT_QUORUM,
  type Effect,
  MAX_ANSWER_LENGTH,
  type StanceRecord,
  type Statement,
  type StatementStatus,
  type StatementVersion,
  type TransitionResult,
} from './types.js';

/** The longest reason kept with a stance: a paragraph, not an essay. */
export const MAX_REASON_LENGTH = 2000;

export const consentHoursOf = (c: Campaign) => c.consentHours ?? DEFAULT_CONSENT_HOURS;
export const quorumOf = (c: Campaign) => c.quorum ?? DEFAULT_QUORUM;

/** Each member's latest stance on a version, in the order they first took one. */
export function currentStances(version: StatementVersion): StanceRecord[] {
  const latest = new Map<string, StanceRecord>();
  for (const s of version.stances) {
    latest.delete(s.author.id);
    latest.set(s.author.id, s);
  }
  return [...latest.values()];
}

/** Where a statement stands at `now` (see StatementStatus). */
export function statementStatus(
  campaign: Campaign,
  statement: Statement | undefined,
  now: Date,
): StatementStatus {
  const version = statement?.versions.at(-1);
  if (!version) return 'none';
  const stances = currentStances(version);
  if (stances.some((s) => s.stance === 'objection')) return 'objected';
  if (stances.length >= quorumOf(campaign)) return 'agreed';
  return now.toISOString() < version.closesAt ? 'consent-open' : 'draft';
}

/** The round a block is asked in: its consent post is that round's. */
export function roundIdOf(campaign: Campaign, blockId: string): string | undefined {
  return roundsOf(campaign).find((r) => r.blockIds.includes(blockId))?.id;
}

/**
 * The round whose post shows this round's statements and their buttons: the next round, once it has
 * opened (its post was made at the run that closed this one). Undefined while there is none: the round's
 * statements then have a consent post of their own.
 */
export function consentHost(campaign: Campaign, roundId: string): string | undefined {
  const rounds = roundsOf(campaign);
  const index = rounds.findIndex((r) => r.id === roundId);
  const next = index >= 0 ? rounds[index + 1] : undefined;
  if (!next || next.status === 'pending' || campaign.consentRounds?.includes(roundId)) return undefined;
  return next.id;
}

const trimmedLength = (text: string) => [...text.trim()].length;

/**
 * An admin writes the shared version of a block, or revises it: a new version whose consent round opens
 * now, every stance to be given again. The round's consent post shows it (made once, then edited).
 */
export function writeStatement(
  campaign: Campaign,
  event: Extract<CampaignEvent, { type: 'statement' }>,
  now: Date,
): TransitionResult {
  if (campaign.status === 'cancelled') return refuse('campaign-ended');
  const roundId = roundIdOf(campaign, event.blockId);
  if (!roundId) return refuse('unknown-block', { blockId: event.blockId });
  const length = trimmedLength(event.text);
  if (length === 0) return refuse('empty-statement');
  if (length > MAX_ANSWER_LENGTH) return refuse('statement-too-long', { max: MAX_ANSWER_LENGTH, length });
  const at = now.toISOString();
  const closesAt = new Date(now.getTime() + consentHoursOf(campaign) * 3600_000).toISOString();
  const before = campaign.statements?.[event.blockId];
  const version: StatementVersion = {
    text: event.text.trim(),
    by: { id: event.actor.id, name: event.actor.name },
    at,
    closesAt,
    stances: [],
  };
  const statement: Statement = { blockId: event.blockId, versions: [...(before?.versions ?? []), version] };
  // The round post that followed the round hosts its statements (one post, not two); a round with no
  // such post yet (still open, or the last) gets a consent post of its own, once.
  const hosted = consentHost(campaign, roundId) !== undefined;
  const posted = hosted || (campaign.consentRounds?.includes(roundId) ?? false);
  const next: Campaign = {
    ...campaign,
    statements: { ...campaign.statements, [event.blockId]: statement },
    consentRounds: posted ? campaign.consentRounds : [...(campaign.consentRounds ?? []), roundId],
  };
  const vars = { blockId: event.blockId, version: statement.versions.length, closesAt };
  return ok(next, [
    { type: posted ? 'update-consent' : 'post-consent', roundId },
    { type: 'reply', key: before ? 'reply-statement-revised' : 'reply-statement-written', vars },
  ]);
}

/**
 * A member's stance on the current version of a statement, while its consent round is open: one per
 * member (a new one replaces theirs), an objection with its reason. Concerns and objections with a
 * reason are posted in the consent post's thread; everything is kept.
 */
export function takeStance(
  campaign: Campaign,
  event: Extract<CampaignEvent, { type: 'stance' }>,
  now: Date,
): TransitionResult {
  if (isEnded(campaign)) return refuse('campaign-ended');
  const statement = campaign.statements?.[event.blockId];
  const roundId = roundIdOf(campaign, event.blockId);
  if (!statement || !roundId) return refuse('no-statement');
  const added = addStance(statement, event, now);
  if ('ok' in added) return added;
  const next: Campaign = {
    ...campaign,
    statements: { ...campaign.statements, [event.blockId]: added.statement },
  };
  const effects: Effect[] = [{ type: 'update-consent', roundId }];
  if (added.reason)
    effects.push({ type: 'post-stance', blockId: event.blockId, version: added.version, index: added.index });
  effects.push({ type: 'reply', key: `reply-stance-${event.stance}`, vars: { blockId: event.blockId } });
  return ok(next, effects);
}

/**
 * The stance recorded on the statement's (or action's) current version, or why it cannot be: a
 * revised text, a closed round, an objection without its reason, a reason too long.
 */
export function addStance(
  statement: Statement,
  event: Extract<CampaignEvent, { type: 'stance' }>,
  now: Date,
): Refusal | { statement: Statement; version: number; index: number; reason: boolean } {
  const version = statement.versions.at(-1);
  if (!version) return refuse('no-statement');
  if (event.version !== statement.versions.length) return refuse('statement-revised');
  if (now.toISOString() >= version.closesAt) return refuse('consent-closed');
  const reason = event.reason?.trim() ?? '';
  if (event.stance === 'objection' && reason === '') return refuse('reason-required');
  if (trimmedLength(reason) > MAX_REASON_LENGTH)
    return refuse('statement-too-long', { max: MAX_REASON_LENGTH, length: trimmedLength(reason) });
  const record: StanceRecord = {
    author: { id: event.person.id, name: event.person.name },
    stance: event.stance,
    ...(reason ? { reason } : {}),
    at: now.toISOString(),
  };
  const updated: StatementVersion = { ...version, stances: [...version.stances, record] };
  const versions = [...statement.versions.slice(0, -1), updated];
  return {
    statement: { ...statement, versions },
    version: versions.length,
    index: updated.stances.length - 1,
    reason: reason !== '',
  };
}
