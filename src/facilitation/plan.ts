import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Holiday } from '../schedule/calendar.js';
import { reminderHoursOf } from './machine.js';
import { closingRun, roundsOf } from './rounds.js';
import type { Campaign, Lang, RoundState, RoundStatus } from './types.js';

/** A round with the dates it ran, runs or is expected to run (projected from the cadence). */
export interface PlannedRound {
  id: string;
  title: string;
  blockIds: string[];
  status: RoundStatus;
  opensAt?: string;
  closesAt?: string;
}

export interface CampaignPlan {
  rounds: PlannedRound[];
  /** When the last round closes and the final canvas is posted (or when the campaign ended). */
  endsAt?: string;
  /** The days the plan steps over, and how long before each deadline the reminder comes (0: none). */
  quietDays: number[];
  holidays: Holiday[];
  reminderHours: number;
}

/**
 * The campaign's plan at `now`: past rounds with their real dates, the open one with its deadline,
 * and each pending one opening when the one before it closes and closing on the next run after that.
 * Pure; runs on quiet days and holidays are skipped, as the schedule skips them.
 */
export function projectPlan(campaign: Campaign, template: CanvasTemplate, now: Date): CampaignPlan {
  const ended = campaign.status === 'completed' || campaign.status === 'cancelled';
  // A campaign not started yet opens its first round at start; a running one at its next run.
  let cursor: Date | undefined = campaign.status === 'scheduled' ? now : closingRun(campaign, now);
  const titleOf = roundTitles(template, campaign.lang);
  const rounds = roundsOf(campaign).map((round): PlannedRound => {
    const base = {
      id: round.id,
      title: titleOf(round),
      blockIds: [...round.blockIds],
    };
    if (round.status === 'closed')
      return { ...base, status: 'closed', ...dates(round.openedAt, round.closedAt) };
    if (round.status === 'open') {
      const due = round.closesAt && new Date(round.closesAt) > now ? new Date(round.closesAt) : cursor;
      cursor = due;
      return { ...base, status: 'open', ...dates(round.openedAt, due?.toISOString()) };
    }
    if (ended || !cursor) return { ...base, status: 'pending' };
    const opensAt: Date = cursor;
    cursor = closingRun(campaign, opensAt);
    return { ...base, status: 'pending', ...dates(opensAt.toISOString(), cursor?.toISOString()) };
  });
  const endsAt = ended ? campaign.endedAt : rounds.at(-1)?.closesAt;
  return {
    rounds,
    ...(endsAt ? { endsAt } : {}),
    quietDays: campaign.quietDays ?? [],
    holidays: campaign.holidays ?? [],
    reminderHours: reminderHoursOf(campaign),
  };
}

function dates(opensAt: string | undefined, closesAt: string | undefined) {
  return { ...(opensAt ? { opensAt } : {}), ...(closesAt ? { closesAt } : {}) };
}

/**
 * The template's title of a round; a round of one block (drip) is titled by its block. Looked up in
 * maps made once per plan: `status` projects up to 29 rounds each time it is asked.
 */
function roundTitles(template: CanvasTemplate, lang: Lang): (round: RoundState) => string {
  const named = new Map<string, string>();
  for (const r of template.rounds ?? []) if (!named.has(r.id)) named.set(r.id, r.title[lang]);
  const blocks = new Map<string, string>();
  for (const fiche of template.fiches)
    for (const block of fiche.blocks) if (!blocks.has(block.id)) blocks.set(block.id, block.title[lang]);
  return (round) => named.get(round.id) ?? blocks.get(round.blockIds[0] ?? '') ?? round.id;
}
