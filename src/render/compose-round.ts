import type { CanvasFigures } from '../canvas/canvas-figures.js';
import { findBlock } from '../canvas/template-loader.js';
import { activeAnswers, ENOUGH_ANSWERS, reminderHoursOf, waitingMembers } from '../facilitation/machine.js';
import { projectPlan } from '../facilitation/plan.js';
import { formatOf, roundAt, roundsOf } from '../facilitation/rounds.js';
import { consentHost } from '../facilitation/statements.js';
import type { RoundState } from '../facilitation/types.js';
import type { OutboundPost } from '../platform.js';
import { composeConsent } from './compose-consent.js';
import { composeIntro } from './compose-intro.js';
import { type ComposeContext, canvasOf, commonView, figuresOf, renderWith } from './compose-views.js';
import { ostromButtons, writeButtons } from './core-buttons.js';
import { formatDeadline, holidaysWords, listOf, quietDaysWords } from './view-helpers.js';

type ComposedPost = Omit<OutboundPost, 'dedupeKey'>;

/** The round that asks a block, if the campaign has one. */
export function roundOfBlock(ctx: ComposeContext, blockId: string): RoundState | undefined {
  return roundsOf(ctx.campaign).find((r) => r.blockIds.includes(blockId));
}

/** The round's title in the campaign's language; a round of one block is titled by its block. */
export function roundTitle(ctx: ComposeContext, round: RoundState): string {
  const lang = ctx.campaign.lang;
  const named = ctx.template.rounds?.find((r) => r.id === round.id);
  if (named) return named.title[lang];
  const first = round.blockIds[0] ?? '';
  return findBlock(ctx.template, first)?.block.title[lang] ?? round.id;
}

/**
 * What the progress post and the digest call the open or next step: the round in a workshop, the
 * question in a drip; with the positions of its questions ("4–6", or "4").
 */
export function stepView(ctx: ComposeContext, round: RoundState): { title: string; positions: string } {
  const positions = round.blockIds
    .map((id) => ctx.campaign.questions.findIndex((q) => q.blockId === id) + 1)
    .filter((n) => n > 0);
  const first = positions[0] ?? 0;
  const last = positions.at(-1) ?? first;
  return { title: roundTitle(ctx, round), positions: first === last ? `${first}` : `${first}–${last}` };
}

/** The block's deadline ("jeudi 10 décembre, 10 h"), or undefined when its round has none. */
export function deadlineOf(ctx: ComposeContext, blockId: string): string | undefined {
  const closesAt = roundOfBlock(ctx, blockId)?.closesAt;
  return closesAt ? formatDeadline(closesAt, ctx.campaign.lang, ctx.campaign.tz) : undefined;
}

/** The line a question post ends with: until when answers are expected. */
export function composeDeadlineLine(ctx: ComposeContext, deadline: string): string {
  return renderWith(ctx, 'deadline', { ...commonView(ctx, figuresOf(ctx)), deadline });
}

/**
 * A workshop round's opening post: its fiche (with the fiche's intro when the round is the fiche's
 * first), its title, its questions by number, the deadline and how to answer.
 */
export function composeRound(ctx: ComposeContext, roundId: string): ComposedPost {
  const { campaign, template } = ctx;
  const lang = campaign.lang;
  const { round, index, rounds } = roundAt(campaign, roundId);
  const blocks = round.blockIds.map((id) => {
    const found = findBlock(template, id);
    if (!found) throw new Error(`block ${id} is not in template ${campaign.templateId}`);
    return found;
  });
  const fiche = blocks[0]?.fiche;
  if (!fiche) throw new Error(`round ${roundId} has no block`);
  const ficheBlocks = new Set(fiche.blocks.map((b) => b.id));
  const firstOfFiche = rounds.findIndex((r) => r.blockIds.some((id) => ficheBlocks.has(id))) === index;
  const deadline = round.closesAt ? formatDeadline(round.closesAt, lang, campaign.tz) : '';
  const figures = figuresOf(ctx);
  const view = {
    ...commonView(ctx, figures),
    ...recapOfFicheBefore(ctx, figures, firstOfFiche ? fiche.id : undefined),
    ficheNumber: fiche.number,
    ficheTitle: fiche.title[lang],
    hasFicheIntro: firstOfFiche,
    ficheIntro: fiche.intro[lang],
    roundTitle: roundTitle(ctx, round),
    roundNumber: index + 1,
    roundCount: rounds.length,
    questions: round.blockIds.map((id, i) => ({
      position: campaign.questions.findIndex((q) => q.blockId === id) + 1,
      title: blocks[i]?.block.title[lang] ?? id,
    })),
    questionCount: round.blockIds.length,
    hasDeadline: deadline !== '',
    deadline,
  };
  // The round before has just closed: admins write its shared versions from here.
  const before = index > 0 ? rounds[index - 1] : undefined;
  // The last round asks everyone to rate Ostrom's principles, before the end.
  const ostrom = index === rounds.length - 1 ? ostromButtons(ctx) : [];
  const write = before ? writeButtons(ctx, before.blockIds) : [];
  // The round before's shared statements are put to consent here (one post, not two), as they are written.
  const consent =
    before && consentHost(campaign, before.id) === round.id ? composeConsent(ctx, before.id) : undefined;
  const consentButtons = consent?.buttons ?? [];
  const buttons = [...write, ...consentButtons, ...ostrom];
  const roundText = renderWith(ctx, 'round', {
    ...view,
    hasWrite: write.length > 0,
    hasOstrom: ostrom.length > 0,
  });
  const text = consentButtons.length > 0 ? `${roundText}\n\n${consent?.text ?? ''}` : roundText;
  // The campaign's first round post carries the introduction (the start makes one post, not two).
  const opening = index === 0 && formatOf(campaign) === 'workshop' ? `${composeIntro(ctx).text}\n\n` : '';
  return {
    kind: 'round',
    text: `${opening}${text}`,
    round: { roundId, lang },
    ...(buttons.length > 0 ? { buttons } : {}),
  };
}

/**
 * The nudge before a round's deadline, a top-level post: the round's questions that still have fewer
 * than 2 answers, and a mention of each member who asked to be reminded and has not answered yet.
 */
export function composeNudge(ctx: ComposeContext, roundId: string): ComposedPost {
  const { campaign } = ctx;
  const { round, index, rounds } = roundAt(campaign, roundId);
  const thin = round.blockIds
    .map((id) => ({ id, count: activeAnswers(campaign, id).length }))
    .filter((q) => q.count < ENOUGH_ANSWERS);
  const waiting = waitingMembers(campaign, round.blockIds);
  const view = {
    ...commonView(ctx, canvasOf(ctx)),
    roundTitle: roundTitle(ctx, round),
    roundNumber: index + 1,
    roundCount: rounds.length,
    workshop: round.blockIds.length > 1,
    hasDeadline: round.closesAt !== undefined,
    deadline: round.closesAt ? formatDeadline(round.closesAt, campaign.lang, campaign.tz) : '',
    hasThin: thin.length > 0,
    thin: thin.map((q) => ({
      position: campaign.questions.findIndex((x) => x.blockId === q.id) + 1,
      title: findBlock(ctx.template, q.id)?.block.title[campaign.lang] ?? q.id,
      none: q.count === 0,
      one: q.count === 1,
    })),
    hasWaiting: waiting.length > 0,
    waiting: listOf(
      waiting.map((p) => ctx.format.mention(p)),
      campaign.lang,
    ),
  };
  return {
    kind: 'reminder',
    text: renderWith(ctx, 'reminder', view),
    ...(waiting.length > 0 ? { mentions: waiting.map((p) => p.id) } : {}),
  };
}

/**
 * The fiche that just ended, told in the round post that opens the next one (one post rather than two):
 * how many of its questions have an answer, and which are still to complete.
 */
function recapOfFicheBefore(ctx: ComposeContext, figures: CanvasFigures, ficheId: string | undefined) {
  const at = figures.fiches.findIndex((f) => f.id === ficheId);
  const before = at > 0 ? figures.fiches[at - 1] : undefined;
  if (!before) {
    const none = { recapNumber: 0, recapTitle: '', recapAnswered: 0, recapTotal: 0, recapGaps: '' };
    return { hasRecap: false, hasGaps: false, ...none };
  }
  // A gap is a block nobody answered, in the template's order (the canvas's).
  const blockIds = ctx.template.fiches.find((f) => f.id === before.id)?.blocks.map((b) => b.id) ?? [];
  const gaps = blockIds.flatMap((id) => {
    const block = figures.blocks.get(id);
    return block && block.count === 0 ? [block.title] : [];
  });
  return {
    hasRecap: true,
    recapNumber: before.number,
    recapTitle: before.title,
    recapAnswered: before.answered,
    recapTotal: before.total,
    hasGaps: gaps.length > 0,
    recapGaps: listOf(gaps, ctx.campaign.lang),
  };
}

/** Plans up to this many rounds are listed whole (a workshop); longer ones from the current round on. */
const MAX_LISTED_ROUNDS = 12;
const LISTED_AHEAD = 4;

/** `/canevas status`'s plan: each round with its dates and state, and when the campaign ends. */
export function composeStatusPlan(ctx: ComposeContext): string {
  const { lang, tz } = ctx.campaign;
  const plan = projectPlan(ctx.campaign, ctx.template, ctx.now);
  // A round closes when the next one opens: each date is written once.
  const written = new Map<string, string>();
  const when = (iso?: string) => {
    if (!iso) return '';
    let text = written.get(iso);
    if (text === undefined) {
      text = formatDeadline(iso, lang, tz);
      written.set(iso, text);
    }
    return text;
  };
  const all = plan.rounds.map((r, i) => ({ r, i }));
  // A long plan (a drip asks 29 rounds) would not fit an ephemeral reply (Discord: 2,000 characters):
  // past rounds are counted, and only the next few are listed before the end date.
  const long = all.length > MAX_LISTED_ROUNDS;
  const current = all.findIndex(({ r }) => r.status !== 'closed');
  const from = long ? Math.max(0, current === -1 ? all.length : current) : 0;
  const shown = long ? all.slice(from, from + LISTED_AHEAD) : all;
  const view = {
    ...commonView(ctx, figuresOf(ctx)),
    earlierCount: from,
    hasEarlier: from > 0,
    earlierMany: from > 1,
    laterCount: all.length - from - shown.length,
    hasLater: all.length - from - shown.length > 0,
    laterMany: all.length - from - shown.length > 1,
    rounds: shown.map(({ r, i }) => ({
      number: i + 1,
      title: r.title,
      hasDates: r.opensAt !== undefined && r.closesAt !== undefined,
      opens: when(r.opensAt),
      closes: when(r.closesAt),
      open: r.status === 'open',
      closed: r.status === 'closed',
      pending: r.status === 'pending',
    })),
    quietWords: quietDaysWords(ctx.campaign.quietDays ?? [], lang),
    holidayWords: holidaysWords(ctx.campaign.holidays ?? [], lang),
    reminderHours: reminderHoursOf(ctx.campaign),
    remindCount: ctx.campaign.remindMe?.length ?? 0,
    hasEnd: plan.endsAt !== undefined,
    ended: ctx.campaign.status === 'completed' || ctx.campaign.status === 'cancelled',
    endsAt: when(plan.endsAt),
  };
  return renderWith(ctx, 'status-plan', view);
}
