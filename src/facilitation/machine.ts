import { canonicalTimeZone, parseCadence } from '../schedule/cadence.js';
import { isQuiet, mergeHolidays, nextAllowedRun } from '../schedule/calendar.js';
import { syncActionConsent, takeActionStance } from './action-consent.js';
import { forgetMember, isForgottenRef } from './forget.js';
import { compareInstants } from './instant-order.js';
import { withoutNames } from './people.js';
import { isEnded, ok, refuse } from './results.js';
import {
  closingRun,
  formatOf,
  initialRounds,
  nextPendingRound,
  openRound,
  type RoundPlan,
  reminderTime,
  rescheduleOpenRound,
  withRound,
} from './rounds.js';
import { takeStance, writeStatement } from './statements.js';
import { supportEmoji } from './support.js';
import {
  type Actor,
  type Answer,
  type CalendarOptions,
  type Campaign,
  type CampaignEvent,
  type CampaignFormat,
  DEFAULT_REMINDER_HOURS,
  type Effect,
  type HeldChange,
  MAX_ANSWER_LENGTH,
  type Person,
  type PostRecord,
  type QuestionState,
  type TransitionResult,
  type UserErrorId,
} from './types.js';

/** What a new campaign is made from: its settings as stored, the blocks to ask, and the time. */
export type CampaignInit = Pick<
  Campaign,
  | 'id'
  | 'channel'
  | 'lang'
  | 'tz'
  | 'cadence'
  | 'digestCron'
  | 'templateId'
  | 'createdBy'
  | 'name'
  | 'key'
  | 'quietDays'
  | 'reminderHours'
  | 'consentHours'
  | 'quorum'
  | 'actionBlockIds'
  | 'anonymous'
> & {
  holidays?: Campaign['holidays'];
  blockIds: readonly string[];
  /** Default `drip`, as campaigns always ran. */
  format?: CampaignFormat;
  /** The template's rounds; a `workshop` asks each round's blocks together (drip ignores them). */
  rounds?: readonly RoundPlan[];
  now: Date;
};

/** A campaign ready to start: every question pending, no answer yet. */
export function createCampaign(init: CampaignInit): Campaign {
  // A block listed twice would be opened twice at once: each block is asked once, at its first place.
  const format = init.format ?? 'drip';
  const rounds = initialRounds(format, [...new Set(init.blockIds)], init.rounds);
  // Questions follow the rounds, so positions read in the order members see them.
  const blockIds = rounds.flatMap((r) => r.blockIds);
  return {
    id: init.id,
    version: 0,
    channel: { ...init.channel },
    lang: init.lang,
    tz: init.tz,
    cadence: init.cadence,
    digestCron: init.digestCron,
    templateId: init.templateId,
    status: 'scheduled',
    createdBy: { id: init.createdBy.id, name: init.createdBy.name },
    ...(init.name === undefined ? {} : { name: init.name }),
    createdAt: init.now.toISOString(),
    ...calendarOf(init),
    format,
    questions: blockIds.map((blockId) => ({ blockId, status: 'pending' })),
    rounds,
    answers: {},
    ...(init.actionBlockIds?.length ? { actionBlockIds: [...init.actionBlockIds] } : {}),
    ...(init.anonymous ? { anonymous: true } : {}),
    key: init.key,
  };
}

/** The calendar settings given, without the ones left out (a stored campaign carries no empty field). */
function calendarOf(
  init: Pick<Campaign, 'quietDays' | 'holidays' | 'reminderHours' | 'consentHours' | 'quorum'>,
) {
  return {
    ...(init.quietDays?.length ? { quietDays: init.quietDays } : {}),
    ...(init.holidays?.length ? { holidays: mergeHolidays([], init.holidays) } : {}),
    ...(init.reminderHours === undefined ? {} : { reminderHours: init.reminderHours }),
    ...(init.consentHours === undefined ? {} : { consentHours: init.consentHours }),
    ...(init.quorum === undefined ? {} : { quorum: init.quorum }),
  };
}

export function openQuestion(campaign: Campaign): QuestionState | undefined {
  return campaign.questions.find((q) => q.status === 'open');
}

/** Answers that count (not removed), oldest first. */
export function activeAnswers(campaign: Campaign, blockId?: string): Answer[] {
  return Object.values(campaign.answers)
    .filter((a) => !a.removedAt && (blockId === undefined || a.blockId === blockId))
    .sort((a, b) => compareInstants(a.createdAt, b.createdAt) || a.id.localeCompare(b.id));
}

export function progressOf(campaign: Campaign): { asked: number; answered: number; total: number } {
  const answeredBlocks = new Set(activeAnswers(campaign).map((a) => a.blockId));
  return {
    asked: campaign.questions.filter((q) => q.status !== 'pending').length,
    answered: campaign.questions.filter((q) => answeredBlocks.has(q.blockId)).length,
    total: campaign.questions.length,
  };
}

export function isAdminEvent(event: CampaignEvent): event is Extract<CampaignEvent, { actor: Actor }> {
  return 'actor' in event;
}

/**
 * The whole facilitation logic: what an event does to a campaign and which effects follow. Pure: time
 * comes in, nothing is mutated, and a refused event is an error id, never an exception.
 */
export function transition(campaign: Campaign, given: CampaignEvent, now: Date): TransitionResult {
  if (isAdminEvent(given) && !given.actor.isAdmin) return refuse('not-admin');
  const at = now.toISOString();
  // An anonymous campaign does not even store its members' names.
  const event = campaign.anonymous ? withoutNames(given) : given;
  switch (event.type) {
    case 'start':
      if (campaign.status === 'scheduled') {
        const started = { ...campaign, status: 'running' as const, startedAt: at };
        const { campaign: opened, effects } = advance(started, at, false);
        // The schedule is set before the progress post, as the channel sees them in that order.
        const progress = effects.filter((e) => e.type === 'update-progress');
        // A workshop's first round post opens with the introduction: one post, not two.
        const intro: Effect[] = formatOf(campaign) === 'workshop' ? [] : [{ type: 'post-intro' }];
        return ok(opened, [
          ...intro,
          ...effects.filter((e) => e.type !== 'update-progress'),
          { type: 'set-schedule' },
          ...progress,
          { type: 'reply', key: 'reply-started', vars: { workshop: workshopVar(campaign) } },
        ]);
      }
      return refuse(isEnded(campaign) ? 'campaign-ended' : 'already-running');
    case 'next':
    case 'skip': {
      if (campaign.status !== 'running' && campaign.status !== 'paused') return refuse(notActive(campaign));
      const open = openRound(campaign);
      if (event.type === 'skip' && !open) return refuse('no-open-question');
      if (!open && !nextPendingRound(campaign)) return refuse('no-more-questions');
      const skipped = event.type === 'skip';
      const closed = closeOpen(campaign, at, skipped);
      const notice: Effect[] = skipped && open ? [skipNotice(campaign, open.id, open.blockIds)] : [];
      const { campaign: next, effects } = advance(closed.campaign, at, skipped);
      return ok(next, [
        ...closed.effects,
        ...notice,
        ...effects,
        {
          type: 'reply',
          key: skipped ? 'reply-skipped' : 'reply-next',
          vars: { workshop: workshopVar(campaign) },
        },
      ]);
    }
    case 'pause':
      if (campaign.status === 'running') {
        return ok({ ...campaign, status: 'paused' }, [
          { type: 'notice', key: 'notice-paused' },
          { type: 'reply', key: 'reply-paused' },
        ]);
      }
      return refuse(campaign.status === 'paused' ? 'already-paused' : notActive(campaign));
    case 'resume':
      if (campaign.status === 'paused') {
        // The open round closes on the next run from now: its deadline is announced anew.
        const resumed = rescheduleOpenRound({ ...campaign, status: 'running' }, now);
        const open = openRound(resumed);
        return ok(resumed, [
          { type: 'set-schedule' },
          ...(open ? [remindEffect(open.id)] : []),
          { type: 'notice', key: 'notice-resumed' },
          { type: 'reply', key: 'reply-resumed' },
        ]);
      }
      return refuse(campaign.status === 'running' ? 'not-paused' : notActive(campaign));
    case 'schedule': {
      if (isEnded(campaign)) return refuse('campaign-ended');
      // The parser already checked both; checked again so no caller can store a schedule BullMQ refuses.
      const cadence = event.cadence === undefined ? undefined : parseCadence(event.cadence);
      if (cadence && !cadence.ok) return refuse('invalid-cadence', { value: event.cadence ?? '' });
      const tz = event.tz === undefined ? campaign.tz : canonicalTimeZone(event.tz);
      if (tz === undefined) return refuse('invalid-timezone', { value: event.tz ?? '' });
      const set = withCalendar(
        { ...campaign, cadence: cadence?.ok ? cadence.cadence : campaign.cadence, tz },
        event,
      );
      if (!nextAllowedRun(set, now)) return refuse('no-allowed-run');
      const next = rescheduleOpenRound(set, now);
      const vars = scheduleVars(next);
      const open = openRound(next);
      const reschedule: Effect[] =
        next.status === 'running' ? [{ type: 'set-schedule' }, ...(open ? [remindEffect(open.id)] : [])] : [];
      return ok(next, [
        ...reschedule,
        { type: 'notice', key: 'notice-schedule', vars },
        { type: 'reply', key: 'reply-schedule', vars },
      ]);
    }
    case 'summary':
      if (campaign.status === 'cancelled') return refuse('campaign-ended');
      return ok(campaign, [
        { type: 'compile-canvas', final: false },
        { type: 'reply', key: 'reply-summary' },
      ]);
    case 'digest':
      if (!campaign.startedAt || campaign.status === 'cancelled') return refuse(notActive(campaign));
      return ok({ ...campaign, lastDigestAt: at }, [
        { type: 'post-digest', since: campaign.lastDigestAt ?? campaign.startedAt },
        { type: 'reply', key: 'reply-digest' },
      ]);
    case 'export':
      return ok(campaign, [
        { type: 'export', format: event.format, requestedBy: { id: event.actor.id, name: event.actor.name } },
        { type: 'reply', key: 'reply-export', vars: { format: event.format } },
      ]);
    case 'stop': {
      if (campaign.status === 'scheduled') {
        return ok({ ...campaign, status: 'cancelled', endedAt: at }, [
          { type: 'remove-schedule' },
          { type: 'reply', key: 'reply-stopped' },
        ]);
      }
      if (isEnded(campaign)) return refuse('campaign-ended');
      const closed = closeOpen(campaign, at, false);
      return ok(complete(closed.campaign, at), [
        ...closed.effects,
        { type: 'compile-canvas', final: true },
        { type: 'remove-schedule' },
        { type: 'update-progress' },
        { type: 'notice', key: 'notice-stopped' },
        { type: 'reply', key: 'reply-stopped' },
      ]);
    }
    case 'unreachable': {
      if (isEnded(campaign)) return ok(campaign);
      if (campaign.status === 'scheduled')
        return ok({ ...campaign, status: 'cancelled', endedAt: at }, [{ type: 'remove-schedule' }]);
      // Closed as by stop, but nothing is posted: the summary, the notice and the progress edit could not go.
      const closed = closeOpen(campaign, at, false);
      return ok(complete(closed.campaign, at), [...closed.effects, { type: 'remove-schedule' }]);
    }
    case 'tick': {
      if (campaign.status !== 'running') return ok(campaign);
      const runAt = event.runAt ? new Date(event.runAt) : now;
      // A run more than 2 hours late is not made late (the next run takes its place); none on a day off.
      if (now.getTime() - runAt.getTime() > MAX_LATE_MS || isQuiet(campaign, campaign.tz, runAt))
        return ok(campaign);
      if (event.runAt && alreadyRun(campaign.lastTickAt, runAt)) return ok(campaign);
      const lastTickAt = runAt.toISOString();
      const { campaign: next, effects } = advance({ ...campaign, lastTickAt }, at, false);
      return ok(next, effects);
    }
    case 'digest-due':
      if ((campaign.status !== 'running' && campaign.status !== 'paused') || !campaign.startedAt)
        return ok(campaign);
      // A digest asked since the run came stands for it too.
      if (event.runAt && alreadyRun(campaign.lastDigestAt, new Date(event.runAt))) return ok(campaign);
      return ok({ ...campaign, lastDigestAt: at }, [
        { type: 'post-digest', since: campaign.lastDigestAt ?? campaign.startedAt },
      ]);
    case 'reminder-due':
      return nudge(campaign, event, now);
    case 'remind-me':
      return remindMe(campaign, event.person, event.on);
    case 'answer-added':
      return addAnswer(campaign, event.answer, at);
    case 'answer-edited':
      // A forgotten answer's message edited on the platform: its text is not taken back, even held.
      if (isForgottenRef(campaign, event.answerId)) return ok(campaign, [FORGOTTEN_REPLY]);
      if (!campaign.answers[event.answerId])
        return ok(
          hold(campaign, event.answerId, { kind: 'edit', text: event.text, at, author: event.author }),
        );
      return withActionConsent(editAnswer(campaign, event, at), campaign, event.answerId, at);
    case 'answer-removed': {
      const answer = campaign.answers[event.answerId];
      if (isForgottenRef(campaign, event.answerId)) return ok(campaign);
      if (!answer) return ok(hold(campaign, event.answerId, { kind: 'remove', at }));
      if (answer.removedAt) return ok(campaign);
      const removed = syncActionConsent(withAnswer(campaign, { ...answer, removedAt: at }), answer.id, at);
      return ok(removed.campaign, [...removed.effects, { type: 'update-progress' }]);
    }
    case 'reaction':
      return react(campaign, event);
    case 'statement':
      return writeStatement(campaign, event, now);
    case 'stance': {
      const { answerId } = event;
      return answerId === undefined
        ? takeStance(campaign, event, now)
        : takeActionStance(campaign, { ...event, answerId }, now);
    }
    case 'ostrom-rating': {
      if (campaign.status === 'cancelled') return refuse('campaign-ended');
      const before = campaign.ostrom?.[event.person.id];
      const assessment = {
        person: { id: event.person.id, name: event.person.name },
        ratings: { ...before?.ratings, ...event.ratings },
        at: now.toISOString(),
      };
      return ok({ ...campaign, ostrom: { ...campaign.ostrom, [event.person.id]: assessment } }, [
        { type: 'reply', key: 'reply-ostrom-rated' },
      ]);
    }
    case 'forget-member':
      // Allowed at any time, ended campaigns included: what members gave is theirs to take back.
      return forgetMember(campaign, event.personId);
    case 'post-recorded': {
      const next = recordPost(campaign, event);
      if (typeof next !== 'string') return ok(next);
      return next === 'unknown-question'
        ? refuse(next)
        : refuse(next, { argument: JSON.stringify(event.target) });
    }
    case 'posts-recorded': {
      // A record the campaign cannot take (a question it does not have) costs only itself, not the pass's others.
      const next = event.posts.reduce((c, post) => {
        const recorded = recordPost(c, post);
        return typeof recorded === 'string' ? c : recorded;
      }, campaign);
      return ok(next);
    }
    default: {
      const unknown: never = event;
      return refuse('bad-argument', { argument: JSON.stringify(unknown) });
    }
  }
}

/** Replies say "round" in a workshop and "question" in a drip: 1 or 0 for the prompt's section. */
const workshopVar = (campaign: Campaign) => (formatOf(campaign) === 'workshop' ? 1 : 0);

/** A scheduled run this late was missed (a worker was down): the next run takes its place. */
const MAX_LATE_MS = 2 * 3600 * 1000;

/**
 * Whether a scheduled run was applied already: the sweeper makes a run again when the worker that
 * made it died before saying so, and the second time must do nothing.
 */
const alreadyRun = (last: string | undefined, runAt: Date) =>
  last !== undefined && runAt.getTime() <= Date.parse(last);

const remindEffect = (roundId: string): Effect => ({ type: 'schedule-reminder', roundId });

/** Applies `schedule`'s or `start`'s calendar options: quiet days replace, holidays add (`none` clears). */
function withCalendar(campaign: Campaign, options: CalendarOptions): Campaign {
  const next = { ...campaign };
  if (options.quietDays !== undefined) {
    if (options.quietDays.length > 0) next.quietDays = options.quietDays;
    else delete next.quietDays;
  }
  if (options.holidays === 'none') delete next.holidays;
  else if (options.holidays) next.holidays = mergeHolidays(campaign.holidays ?? [], options.holidays);
  if (options.reminderHours !== undefined) next.reminderHours = options.reminderHours;
  if (options.consentHours !== undefined) next.consentHours = options.consentHours;
  if (options.quorum !== undefined) next.quorum = options.quorum;
  return next;
}

/** What `notice-schedule` and `reply-schedule` say (see render/prompt-vars.ts). */
function scheduleVars(c: Campaign): Record<string, string | number> {
  return {
    cadence: c.cadence,
    tz: c.tz,
    quiet: (c.quietDays ?? []).join(','),
    holidays: (c.holidays ?? []).map((h) => `${h.from}..${h.to}`).join(','),
    reminder: reminderHoursOf(c),
  };
}

/** Hours before a deadline the campaign's nudge comes; 0 when nudges are off. */
export function reminderHoursOf(campaign: Campaign): number {
  return campaign.reminderHours ?? DEFAULT_REMINDER_HOURS;
}

/** How many answers a question needs before the nudge leaves it out. */
export const ENOUGH_ANSWERS = 2;

/** A round's nudge job may come a little early (queues are not exact): within this, it is on time. */
const NUDGE_EARLY_MS = 5 * 60 * 1000;

/**
 * The nudge before a round's deadline: one post, once per round, when some question still has fewer
 * than 2 answers or a member who asked to be reminded has not answered yet. A job timed for a deadline
 * that has since moved does nothing (the new deadline has its own job).
 */
function nudge(
  campaign: Campaign,
  event: Extract<CampaignEvent, { type: 'reminder-due' }>,
  now: Date,
): TransitionResult {
  const round = openRound(campaign);
  if (campaign.status !== 'running' || !round || round.remindedAt) return ok(campaign);
  const meant = event.roundId ? round.id === event.roundId : round.blockIds.includes(event.blockId ?? '');
  if (!meant) return ok(campaign);
  const hours = reminderHoursOf(campaign);
  if (hours === 0 || !round.closesAt) return ok(campaign);
  if (event.closesAt && event.closesAt !== round.closesAt) return ok(campaign);
  const dueAt = reminderTime(round.openedAt, round.closesAt, hours);
  if (now.getTime() < dueAt.getTime() - NUDGE_EARLY_MS || now.toISOString() >= round.closesAt)
    return ok(campaign);
  const thin = round.blockIds.filter((id) => activeAnswers(campaign, id).length < ENOUGH_ANSWERS);
  if (thin.length === 0 && waitingMembers(campaign, round.blockIds).length === 0) return ok(campaign);
  return ok(withRound(campaign, round.id, { remindedAt: now.toISOString() }), [
    { type: 'post-reminder', roundId: round.id },
  ]);
}

/**
 * The members who asked to be reminded and have not answered any of these blocks yet (in an anonymous
 * campaign, all who asked).
 */
export function waitingMembers(campaign: Campaign, blockIds: readonly string[]): Person[] {
  // Leaving out those who answered would tell who did: an anonymous campaign reminds everyone who asked.
  if (campaign.anonymous) return campaign.remindMe ?? [];
  const blocks = new Set(blockIds);
  const answered = new Set(
    activeAnswers(campaign)
      .filter((a) => blocks.has(a.blockId))
      .map((a) => a.author.id),
  );
  return (campaign.remindMe ?? []).filter((p) => !answered.has(p.id));
}

/** The longest list of members a nudge mentions (Discord lets one message notify at most 100). */
export const MAX_REMIND_ME = 100;

function remindMe(campaign: Campaign, person: Person, on: boolean): TransitionResult {
  if (isEnded(campaign)) return refuse('campaign-ended');
  const others = (campaign.remindMe ?? []).filter((p) => p.id !== person.id);
  if (!on) {
    const { remindMe: _all, ...rest } = campaign;
    const next: Campaign = others.length > 0 ? { ...rest, remindMe: others } : rest;
    return ok(next, [{ type: 'reply', key: 'reply-remind-off' }]);
  }
  if (others.length >= MAX_REMIND_ME) return refuse('remind-me-full', { max: MAX_REMIND_ME });
  const vars = { hours: reminderHoursOf(campaign) };
  return ok({ ...campaign, remindMe: [...others, { id: person.id, name: person.name }] }, [
    { type: 'reply', key: vars.hours === 0 ? 'reply-remind-on-off' : 'reply-remind-on', vars },
  ]);
}

function notActive(campaign: Campaign): UserErrorId {
  return isEnded(campaign) ? 'campaign-ended' : 'not-running';
}

function updateQuestion(campaign: Campaign, blockId: string, patch: Partial<QuestionState>): Campaign {
  return {
    ...campaign,
    questions: campaign.questions.map((q) => (q.blockId === blockId ? { ...q, ...patch } : q)),
  };
}

/** Closes the open round: its open questions close (or are skipped); answers still count after. */
function closeOpen(
  campaign: Campaign,
  at: string,
  skipped: boolean,
): { campaign: Campaign; effects: Effect[] } {
  const round = openRound(campaign);
  const open = campaign.questions.filter((q) => q.status === 'open');
  if (!round && open.length === 0) return { campaign, effects: [] };
  let next = round ? withRound(campaign, round.id, { status: 'closed', closedAt: at }) : campaign;
  const effects: Effect[] = [];
  for (const q of open) {
    next = updateQuestion(next, q.blockId, { status: skipped ? 'skipped' : 'closed', closedAt: at });
    effects.push({ type: 'close-question', blockId: q.blockId, skipped });
  }
  return { campaign: next, effects };
}

function complete(campaign: Campaign, at: string): Campaign {
  return { ...campaign, status: 'completed', endedAt: at };
}

/**
 * Closes the open round (if any) and opens the next pending one, all its questions at once with the
 * next run of the cadence as their deadline; or completes the campaign when no round is left.
 */
function advance(
  campaign: Campaign,
  at: string,
  skipped: boolean,
): { campaign: Campaign; effects: Effect[] } {
  const closed = closeOpen(campaign, at, skipped);
  const round = nextPendingRound(closed.campaign);
  if (!round) {
    return {
      campaign: complete(closed.campaign, at),
      effects: [
        ...closed.effects,
        { type: 'compile-canvas', final: true },
        { type: 'remove-schedule' },
        { type: 'update-progress' },
        { type: 'notice', key: 'notice-completed' },
      ],
    };
  }
  const closesAt = closingRun(campaign, new Date(at))?.toISOString();
  let next = withRound(closed.campaign, round.id, {
    status: 'open',
    openedAt: at,
    ...(closesAt ? { closesAt } : {}),
  });
  const opened = round.blockIds.filter(
    (id) => next.questions.find((q) => q.blockId === id)?.status === 'pending',
  );
  for (const blockId of opened) next = updateQuestion(next, blockId, { status: 'open', openedAt: at });
  const post: Effect[] = formatOf(campaign) === 'workshop' ? [{ type: 'post-round', roundId: round.id }] : [];
  return {
    campaign: next,
    effects: [
      ...closed.effects,
      ...post,
      ...opened.map((blockId): Effect => ({ type: 'post-question', blockId })),
      remindEffect(round.id),
      { type: 'update-progress' },
    ],
  };
}

/** A skipped drip question is named; a skipped workshop round is named once, not once per question. */
function skipNotice(campaign: Campaign, roundId: string, blockIds: readonly string[]): Effect {
  if (formatOf(campaign) === 'workshop')
    return { type: 'notice', key: 'notice-round-skipped', vars: { roundId } };
  return { type: 'notice', key: 'notice-skipped', vars: { blockId: blockIds[0] ?? '' } };
}

/**
 * A support reaction on an answer: kept per emoji and person (removing one emoji leaves the others).
 * A reaction on anything that is not an answer of this campaign, or not a support emoji, changes nothing.
 */
function react(campaign: Campaign, event: Extract<CampaignEvent, { type: 'reaction' }>): TransitionResult {
  const answer = campaign.answers[event.answerId];
  const emoji = supportEmoji(event.emoji);
  if (!answer || !emoji) return ok(campaign);
  const who = answer.reactions?.[emoji] ?? [];
  const has = who.includes(event.person.id);
  if (has === event.added) return ok(campaign);
  const next = event.added ? [...who, event.person.id] : who.filter((id) => id !== event.person.id);
  const { [emoji]: _old, ...others } = answer.reactions ?? {};
  const reactions = next.length > 0 ? { ...others, [emoji]: next } : others;
  const { reactions: _all, ...rest } = answer;
  const updated: Answer = Object.keys(reactions).length > 0 ? { ...rest, reactions } : rest;
  return ok(withAnswer(campaign, updated));
}

function withAnswer(campaign: Campaign, answer: Answer): Campaign {
  return { ...campaign, answers: { ...campaign.answers, [answer.id]: answer } };
}

/**
 * What shows nothing on screen: white space, control and format characters (zero-width spaces and
 * joiners, U+2060, the BOM, direction marks), every default-ignorable code point (variation
 * selectors, Hangul fillers, tags) and the blank braille pattern people paste to look like text.
 */
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** Validated on the trimmed text, stored exactly as written. Length counts code points, not UTF-16 units. */
function checkText(text: string): TransitionResult | undefined {
  const trimmed = text.trim();
  if (trimmed.replace(INVISIBLE, '') === '') return refuse('empty-answer');
  const length = [...trimmed].length;
  if (length > MAX_ANSWER_LENGTH) return refuse('answer-too-long', { max: MAX_ANSWER_LENGTH, length });
  return undefined;
}

function addAnswer(
  campaign: Campaign,
  answer: Extract<CampaignEvent, { type: 'answer-added' }>['answer'],
  at: string,
): TransitionResult {
  if (campaign.status === 'cancelled') return refuse('campaign-ended');
  const question = campaign.questions.find((q) => q.blockId === answer.blockId);
  if (!question || question.status === 'pending') return refuse('unknown-question');
  // The same message delivered twice counts once; a forgotten answer's message is not taken back.
  if (campaign.answers[answer.id]) return ok(campaign);
  if (isForgottenRef(campaign, answer.id)) return ok(campaign, [FORGOTTEN_REPLY]);
  const invalid = checkText(answer.text);
  if (invalid) return invalid;
  const echo: Effect[] = answer.source === 'modal' ? [{ type: 'post-echo', answerId: answer.id }] : [];
  const added = withAnswer(campaign, { ...answer, createdAt: at, updatedAt: at, history: [] });
  // Its consent post follows the echo: both go in the question's thread, in that order.
  const action = syncActionConsent(applyHeld(added, answer.id), answer.id, at);
  return ok(action.campaign, [...echo, ...action.effects, { type: 'update-progress' }]);
}

/** What the author of a forgotten answer's message hears if it comes again (an edit, a redelivery). */
const FORGOTTEN_REPLY: Effect = { type: 'reply', key: 'reply-answer-forgotten' };

/** How many answers' early changes are kept waiting for their answer; the oldest go first. */
const MAX_HELD = 200;

/** Keeps an edit or removal whose answer has not arrived yet; it is applied when the answer does. */
function hold(campaign: Campaign, answerId: string, change: HeldChange): Campaign {
  const held = { ...campaign.held, [answerId]: [...(campaign.held?.[answerId] ?? []), change] };
  // A change whose message never comes (it was refused) must not grow the campaign forever.
  const ids = Object.keys(held);
  for (const old of ids.slice(0, Math.max(0, ids.length - MAX_HELD))) delete held[old];
  return { ...campaign, held };
}

/** Applies the changes held for a newly arrived answer, in the order they came; invalid ones are dropped. */
function applyHeld(campaign: Campaign, answerId: string): Campaign {
  const changes = campaign.held?.[answerId];
  if (!changes) return campaign;
  const { [answerId]: _applied, ...rest } = campaign.held ?? {};
  let next: Campaign = { ...campaign, held: rest };
  if (Object.keys(rest).length === 0) delete next.held;
  for (const change of changes) {
    const answer = next.answers[answerId];
    if (!answer || answer.removedAt) break;
    if (change.kind === 'remove') next = withAnswer(next, { ...answer, removedAt: change.at });
    else {
      const edit = { type: 'answer-edited' as const, answerId, text: change.text, author: change.author };
      const edited = editAnswer(next, edit, change.at);
      if (edited.ok) next = edited.campaign;
    }
  }
  return next;
}

/** An edit that changed the answer, with its action's consent kept in step (a new wording, a new round). */
function withActionConsent(
  result: TransitionResult,
  before: Campaign,
  answerId: string,
  at: string,
): TransitionResult {
  if (!result.ok || result.campaign === before) return result;
  const action = syncActionConsent(result.campaign, answerId, at);
  return ok(action.campaign, [...action.effects, ...result.effects]);
}

function editAnswer(
  campaign: Campaign,
  { answerId, text, author }: Extract<CampaignEvent, { type: 'answer-edited' }>,
  at: string,
): TransitionResult {
  const answer = campaign.answers[answerId];
  if (!answer) return refuse('unknown-answer');
  // Only the author rewrites an answer; an edit said to come from anyone else is not theirs to make.
  if (author && author.id !== answer.author.id) return ok(campaign);
  if (answer.removedAt || answer.text === text) return ok(campaign);
  const invalid = checkText(text);
  if (invalid) return invalid;
  const edited: Answer = {
    ...answer,
    text,
    updatedAt: at,
    history: [...answer.history, { text: answer.text, at: answer.updatedAt }],
  };
  return ok(withAnswer(campaign, edited), [{ type: 'update-progress' }]);
}

/** The campaign remembering a post's platform id, or why it cannot. */
function recordPost(
  campaign: Campaign,
  { target, ref }: PostRecord,
): Campaign | 'unknown-question' | 'bad-argument' {
  switch (target.kind) {
    case 'question':
      if (!campaign.questions.some((q) => q.blockId === target.blockId)) return 'unknown-question';
      return updateQuestion(campaign, target.blockId, { postRef: ref });
    case 'progress':
      return { ...campaign, progressPostRef: ref };
    case 'intro':
      return { ...campaign, introPostRef: ref };
    case 'round':
      return withRound(campaign, target.roundId, { postRef: ref });
    case 'consent':
      return { ...campaign, consentPostRefs: { ...campaign.consentPostRefs, [target.roundId]: ref } };
    case 'echo':
      // Posted just before its answer was forgotten: the echo was erased, nothing points to it.
      if (isForgottenRef(campaign, target.answerId)) return campaign;
      return { ...campaign, echoes: { ...campaign.echoes, [ref]: target.answerId } };
    case 'action':
      if (isForgottenRef(campaign, target.answerId)) return campaign;
      return { ...campaign, actionPostRefs: { ...campaign.actionPostRefs, [target.answerId]: ref } };
    default:
      // Every kind is handled above: only an entry written by hand (or by a bug) gets here.
      return badTarget(target);
  }
}

const badTarget = (_target: never) => 'bad-argument' as const;
