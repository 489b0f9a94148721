import { nextAllowedRun } from '../schedule/calendar.js';
import type { Campaign, CampaignFormat, QuestionState, RoundState } from './types.js';

/** A round as a template or a caller gives it: the blocks asked together. */
export interface RoundPlan {
  id: string;
  blockIds: readonly string[];
}

/** The format of a campaign started without `format:`. */
export const DEFAULT_FORMAT: CampaignFormat = 'workshop';

/** Campaigns stored before formats existed drip, as they always did. */
export function formatOf(campaign: Campaign): CampaignFormat {
  return campaign.format ?? 'drip';
}

/**
 * The campaign's rounds; a campaign stored before rounds existed reads as one round per question,
 * in the same state as its question.
 */
export function roundsOf(campaign: Campaign): RoundState[] {
  if (campaign.rounds) return campaign.rounds;
  return campaign.questions.map(dripRound);
}

function dripRound(q: QuestionState): RoundState {
  const status = q.status === 'pending' ? 'pending' : q.status === 'open' ? 'open' : 'closed';
  return {
    id: q.blockId,
    blockIds: [q.blockId],
    status,
    ...(q.openedAt ? { openedAt: q.openedAt } : {}),
    ...(q.closedAt ? { closedAt: q.closedAt } : {}),
  };
}

/** A round of the campaign by id, with its place and all the rounds; throws for an id it does not have. */
export function roundAt(
  campaign: Campaign,
  roundId: string,
): { round: RoundState; index: number; rounds: RoundState[] } {
  const rounds = roundsOf(campaign);
  const index = rounds.findIndex((r) => r.id === roundId);
  const round = rounds[index];
  if (!round) throw new Error(`round ${roundId} is not in campaign ${campaign.id}`);
  return { round, index, rounds };
}

export function openRound(campaign: Campaign): RoundState | undefined {
  return roundsOf(campaign).find((r) => r.status === 'open');
}

export function nextPendingRound(campaign: Campaign): RoundState | undefined {
  return roundsOf(campaign).find((r) => r.status === 'pending');
}

/**
 * The rounds a new campaign runs: the given ones in workshop format, one per block in drip. Each
 * block lands in one round only (its first), empty rounds are dropped, and a block no round names
 * gets a round of its own at the end, so every question is asked.
 */
export function initialRounds(
  format: CampaignFormat,
  blockIds: readonly string[],
  plans: readonly RoundPlan[] | undefined,
): RoundState[] {
  const known = new Set(blockIds);
  const placed = new Set<string>();
  const rounds: RoundState[] = [];
  const ids = new Set<string>();
  if (format === 'workshop' && plans) {
    for (const plan of plans) {
      const blocks = plan.blockIds.filter((id) => known.has(id) && !placed.has(id));
      if (blocks.length === 0 || ids.has(plan.id)) continue;
      for (const id of blocks) placed.add(id);
      ids.add(plan.id);
      rounds.push({ id: plan.id, blockIds: blocks, status: 'pending' });
    }
  }
  for (const id of blockIds) {
    if (placed.has(id)) continue;
    placed.add(id);
    rounds.push({ id: ids.has(id) ? `${id}-${rounds.length}` : id, blockIds: [id], status: 'pending' });
  }
  return rounds;
}

/**
 * The run of the cadence after `at` that is not on a quiet day or holiday: when a round opened at `at`
 * closes. Undefined for a cadence the cron parser refuses (the machine never throws; such a cadence is
 * refused before it is stored) or a calendar with no run left.
 */
export function closingRun(
  campaign: Pick<Campaign, 'cadence' | 'tz' | 'quietDays' | 'holidays'>,
  at: Date,
): Date | undefined {
  try {
    return nextAllowedRun(campaign, at);
  } catch {
    return undefined;
  }
}

export function withRound(campaign: Campaign, id: string, patch: Partial<RoundState>): Campaign {
  return { ...campaign, rounds: roundsOf(campaign).map((r) => (r.id === id ? { ...r, ...patch } : r)) };
}

/** The open round's deadline moves with the cadence (a new schedule, a resume). */
export function rescheduleOpenRound(campaign: Campaign, at: Date): Campaign {
  const open = openRound(campaign);
  if (!open) return campaign;
  const closesAt = closingRun(campaign, at)?.toISOString();
  const { closesAt: _old, ...rest } = open;
  const moved: RoundState = closesAt ? { ...rest, closesAt } : rest;
  return { ...campaign, rounds: roundsOf(campaign).map((r) => (r.id === open.id ? moved : r)) };
}

/**
 * When a round's nudge is due: `hours` before its deadline, or half-way through the round when the
 * round is shorter than twice that (a nudge right after the questions would only repeat them).
 */
export function reminderTime(openedAt: string | undefined, closesAt: string, hours: number): Date {
  const end = Date.parse(closesAt);
  const start = openedAt ? Date.parse(openedAt) : end;
  const lead = Math.min(hours * 3600 * 1000, Math.max(0, end - start) / 2);
  return new Date(end - lead);
}
