/**
 * The vocabulary of a campaign: its state, the events that drive it and the effects it asks for.
 * Everything here is plain data (JSON-serialisable) so it can be stored in Redis and carried in jobs.
 */

import type { NoticeKey, ReplyKey } from '../render/message-keys.js';
import type { Holiday } from '../schedule/calendar.js';

export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

export type PlatformName = 'playground' | 'slack' | 'discord';

/** Where a campaign lives: one channel of one workspace (Slack team, Discord guild, playground). */
export interface ChannelRef {
  platform: PlatformName;
  workspace: string;
  channel: string;
}

export interface Person {
  id: string;
  name: string;
}

/** Who typed a command; `isAdmin` is decided by the adapter (platform roles) and CANEVAS_ADMINS. */
export interface Actor extends Person {
  isAdmin: boolean;
}

export type CampaignStatus = 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
export type QuestionStatus = 'pending' | 'open' | 'closed' | 'skipped';

/** `workshop`: a round's blocks are asked together, with one deadline; `drip`: one block at a time. */
export type CampaignFormat = 'workshop' | 'drip';
export const CAMPAIGN_FORMATS: readonly CampaignFormat[] = ['workshop', 'drip'];

export type RoundStatus = 'pending' | 'open' | 'closed';

/** A round as the campaign runs it: its blocks open together on a run of the cadence, close on the next. */
export interface RoundState {
  id: string;
  blockIds: string[];
  status: RoundStatus;
  openedAt?: string;
  closedAt?: string;
  /** The run of the cadence that will close the round, as announced in its posts. */
  closesAt?: string;
  /** When the nudge before its deadline was posted (once per round). */
  remindedAt?: string;
  /** Platform id of the round post (edited in place when it shows the round before's statements). */
  postRef?: string;
}

export interface QuestionState {
  blockId: string;
  status: QuestionStatus;
  openedAt?: string;
  closedAt?: string;
  /** Platform id of the question post; its thread is where answers go. Set once the outbox posted it. */
  postRef?: string;
}

export interface AnswerRevision {
  text: string;
  at: string;
}

export interface Answer {
  /** Stable id: the platform message id of the answer (or the modal submission id). */
  id: string;
  blockId: string;
  author: Person;
  text: string;
  source: 'thread' | 'modal' | 'playground';
  createdAt: string;
  updatedAt: string;
  /** Every earlier text, oldest first: an edit never overwrites without a trace. */
  history: AnswerRevision[];
  /** A removed answer keeps its history but no longer counts. */
  removedAt?: string;
  /**
   * Who reacted with a support emoji (👍 ✅ ➕ agree, 👎 disagrees), by emoji: see support.ts. The
   * author's own reactions are kept but never counted.
   */
  reactions?: Record<string, string[]>;
}

export interface Campaign {
  id: string;
  /** Optimistic concurrency: incremented by the store on every save. */
  version: number;
  channel: ChannelRef;
  lang: Lang;
  tz: string;
  /** A preset name (daily, weekdays, twice-weekly, weekly) or a 5-field cron pattern. */
  cadence: string;
  /** Cron pattern of the weekly digest (in `tz`). */
  digestCron: string;
  /** Id of the template the campaign runs (content-addressed, stored in Redis). */
  templateId: string;
  status: CampaignStatus;
  createdBy: Person;
  /** Display name given with `start name:…`; the canvas falls back to the template's name. */
  name?: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** Absent on campaigns stored before rounds existed: those run as `drip`. */
  format?: CampaignFormat;
  /** The blocks in the order they will be asked. */
  questions: QuestionState[];
  /**
   * The blocks grouped as they are asked, in order (each question in exactly one round). Absent on
   * campaigns stored before rounds existed: they are read as one round per question.
   */
  rounds?: RoundState[];
  answers: Record<string, Answer>;
  /** Secret in the links to the canvas page. */
  key: string;
  /** The run the last applied tick stood for (when it was applied, for ticks without a run). */
  lastTickAt?: string;
  lastDigestAt?: string;
  progressPostRef?: string;
  introPostRef?: string;
  /**
   * Edits and removals that arrived before their answer (Slack may deliver out of order), by answer
   * id: applied when the answer arrives.
   */
  held?: Record<string, HeldChange[]>;
  /** Members who asked to be mentioned in the nudge before each deadline (`remind-me on`). */
  remindMe?: Person[];
  /** Hours before a round's deadline the nudge is posted; 0 turns nudges off. Absent: the default. */
  reminderHours?: number;
  /** ISO weekdays (1 Monday … 7 Sunday) on which no round opens or closes. */
  quietDays?: number[];
  /** Spans of local dates on which no round opens or closes. */
  holidays?: Holiday[];
  /** The shared statements, by block id. */
  statements?: Record<string, Statement>;
  /** How long a consent round stays open, in hours (`consent:`); absent: the default. */
  consentHours?: number;
  /** How many members must take part for a statement to be agreed (`quorum:`); absent: the default. */
  quorum?: number;
  /** Each member's reading of Ostrom's principles, by member id. */
  ostrom?: Record<string, OstromAssessment>;
  /** The rounds whose consent post (their statements, with the buttons to take a stance) was asked for. */
  consentRounds?: string[];
  /** Platform ids of those consent posts, by round id. */
  consentPostRefs?: Record<string, string>;
  /** The bot's echo of each form answer, by the echo's platform id: the answer it stands for. */
  echoes?: Record<string, string>;
  /** The blocks whose answers are actions (`what — who — date — indicator`), put to consent one by one. */
  actionBlockIds?: string[];
  /** Each action's consent, by its answer's id: a version per wording, its stances (see Statement). */
  actionConsents?: Record<string, Statement>;
  /** Platform ids of the actions' consent posts (in their question's thread), by answer id. */
  actionPostRefs?: Record<string, string>;
  /**
   * `start anonymous:on`: answers, stances and ratings are stored without their author's name (the id
   * stays, so members can edit, delete or take back what they gave) and shown as « un·e membre ».
   */
  anonymous?: boolean;
  /** What `forget-me` took away: counted, never described. */
  forgotten?: Forgotten;
}

/** The trace `forget-me` leaves in a campaign: how much went, never what or whose. */
export interface Forgotten {
  /** Answers removed at their author's request, by block (only those that still counted). */
  answers: Record<string, number>;
  /** How many requests took something away: each one's stances stay counted under `forgotten-<n>`. */
  members: number;
  /** Digests of the removed answers' ids: the same message delivered again (a retry, a catch-up) stays out. */
  refs: string[];
}

/** A member's stance on a shared statement, sociocratic consent: consent, a concern, an objection. */
export type Stance = 'consent' | 'concern' | 'objection';
export const STANCES: readonly Stance[] = ['consent', 'concern', 'objection'];

export interface StanceRecord {
  author: Person;
  stance: Stance;
  /** Why (required for an objection, optional for a concern). */
  reason?: string;
  at: string;
}

/** One version of a statement and its consent round: every stance given on it, oldest first. */
export interface StatementVersion {
  text: string;
  by: Person;
  at: string;
  /** When its consent round closes: stances are taken until then. */
  closesAt: string;
  /** Every stance given, in order; a member's latest is the one that counts. */
  stances: StanceRecord[];
}

/** The community's shared version of a block, agreed by consent: every version is kept. */
export interface Statement {
  blockId: string;
  versions: StatementVersion[];
}

/**
 * Where a statement stands: `none` (not written), `consent-open` (its round is open and has not the
 * quorum yet), `agreed` (the quorum took part and no objection stands), `objected` (an objection stands),
 * `draft` (its round closed without the quorum).
 */
export type StatementStatus = 'none' | 'draft' | 'consent-open' | 'agreed' | 'objected';

/** How a member sees one of Ostrom's principles in their community. */
export type OstromRating = 'in-place' | 'partly' | 'not-yet' | 'unknown';
export const OSTROM_RATINGS: readonly OstromRating[] = ['in-place', 'partly', 'not-yet', 'unknown'];

/** A member's reading of the principles, by principle id; a new one replaces theirs, principle by principle. */
export interface OstromAssessment {
  person: Person;
  ratings: Record<string, OstromRating>;
  at: string;
}

/** How long a consent round stays open, and how many members must take part, when a campaign does not say. */
export const DEFAULT_CONSENT_HOURS = 72;
export const DEFAULT_QUORUM = 2;

/** Hours before a deadline the nudge comes when a campaign does not say. */
export const DEFAULT_REMINDER_HOURS = 24;

/** The calendar settings `start` and `schedule` take besides cadence and zone. */
export interface CalendarOptions {
  quietDays?: number[];
  /** Spans to add; `none` clears the campaign's (with `schedule`). */
  holidays?: Holiday[] | 'none';
  reminderHours?: number;
  /** How long a consent round stays open (`consent:3d` or `consent:48h`). */
  consentHours?: number;
  /** How many members must take part for a statement to be agreed (`quorum:`). */
  quorum?: number;
}

export type HeldChange =
  | { kind: 'edit'; text: string; at: string; author?: Person }
  | { kind: 'remove'; at: string };

/** Inbound events, after the adapter has translated a platform payload and the engine has parsed commands. */
export type CampaignEvent =
  | { type: 'start'; actor: Actor }
  | { type: 'next'; actor: Actor }
  | { type: 'skip'; actor: Actor }
  | { type: 'pause'; actor: Actor }
  | { type: 'resume'; actor: Actor }
  | ({ type: 'schedule'; actor: Actor; cadence?: string; tz?: string } & CalendarOptions)
  | { type: 'summary'; actor: Actor }
  | { type: 'digest'; actor: Actor }
  | { type: 'export'; actor: Actor; format: ExportFormat }
  | { type: 'stop'; actor: Actor }
  /**
   * The platform can no longer reach the campaign's workspace (the app was removed, or its access
   * revoked): the campaign ends as with `stop`, without a word to a channel nobody can post to.
   */
  | { type: 'unreachable' }
  /**
   * A scheduled run of the cadence: close the open round, open the next. `runAt` is the run it stands
   * for: one on a quiet day, more than 2 hours late (a worker was down), or already applied (a run
   * made again after its worker died), does nothing.
   */
  | { type: 'tick'; runAt?: string }
  /** The weekly digest's scheduled run; `runAt` as a tick's (a run already digested does nothing). */
  | { type: 'digest-due'; runAt?: string }
  /**
   * The nudge time of an open round. `closesAt` is the deadline the job was timed for (a moved deadline
   * leaves an old job that must do nothing); jobs queued before rounds existed name a block instead.
   */
  | { type: 'reminder-due'; roundId?: string; blockId?: string; closesAt?: string }
  /** A member asks to be mentioned in the nudges, or no longer (not an admin command). */
  | { type: 'remind-me'; person: Person; on: boolean }
  | { type: 'answer-added'; answer: NewAnswer }
  | { type: 'answer-edited'; answerId: string; text: string; author?: Person }
  | { type: 'answer-removed'; answerId: string }
  /** An admin writes (or revises) the shared statement of a block: a new version, its consent round opens. */
  | { type: 'statement'; actor: Actor; blockId: string; text: string }
  /** A member's stance on the statement's version `version` (1-based); their latest stance counts. */
  | {
      type: 'stance';
      person: Person;
      blockId: string;
      version: number;
      stance: Stance;
      reason?: string;
      /** On an action (the answer that proposes it) rather than the block's shared statement. */
      answerId?: string;
    }
  /** A member rates some of Ostrom's principles (the assessment form comes in parts). */
  | { type: 'ostrom-rating'; person: Person; ratings: Record<string, OstromRating> }
  /** A support reaction put on (or taken off) a message, which counts when the message is an answer. */
  | { type: 'reaction'; answerId: string; person: Person; emoji: string; added: boolean }
  /**
   * A member takes back what they gave (`forget-me`): their answers and the history of each go, their
   * name goes from everything else; a count stays.
   */
  | { type: 'forget-member'; personId: string }
  /**
   * The outbox posted something whose platform id the campaign must remember. Written one a post
   * before `posts-recorded`: still read, for entries already in an inbox.
   */
  | ({ type: 'post-recorded' } & PostRecord)
  /** Every post of one outbox pass whose platform id the campaign must remember, in the order made. */
  | { type: 'posts-recorded'; posts: PostRecord[] };

/** A post the campaign refers to later (a thread, an edit in place) and its platform id. */
export interface PostRecord {
  target: PostTarget;
  ref: string;
}

export type NewAnswer = Omit<Answer, 'createdAt' | 'updatedAt' | 'history' | 'removedAt'>;

export type PostTarget =
  | { kind: 'question'; blockId: string }
  | { kind: 'progress' }
  | { kind: 'intro' }
  | { kind: 'round'; roundId: string }
  /** A round's own consent post (when no round post followed it yet). */
  | { kind: 'consent'; roundId: string }
  /** The bot's echo of a form answer in its thread: reactions on it count for the answer. */
  | { kind: 'echo'; answerId: string }
  /** An action's consent post, in its question's thread. */
  | { kind: 'action'; answerId: string };

/**
 * A bot post that quoted a forgotten member: its platform id when the campaign kept it, else found by
 * the post's own record. `blockId` names the thread it is in (a question's, or a statement's consent post).
 */
export type ErasedPost =
  | { kind: 'echo'; answerId: string; blockId: string; ref?: string }
  | { kind: 'action'; answerId: string; blockId: string; ref?: string }
  | { kind: 'stance'; blockId: string; version: number; index: number; answerId?: string };

export type ExportFormat = 'md' | 'json' | 'csv' | 'svg' | 'png';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['md', 'json', 'csv', 'svg', 'png'];

/** What a transition asks the outside world to do; the engine turns each into a queued job. */
export type Effect =
  | { type: 'post-intro' }
  /** A workshop round's opening post (fiche, title, questions, deadline), before its questions. */
  | { type: 'post-round'; roundId: string }
  | { type: 'post-question'; blockId: string }
  | { type: 'close-question'; blockId: string; skipped: boolean }
  /** Time the nudge of the round that just opened (or whose deadline moved). */
  | { type: 'schedule-reminder'; roundId: string }
  /** The nudge: one top-level post before the round's deadline. */
  | { type: 'post-reminder'; roundId: string }
  /** The round's consent post: its statements with their buttons (made once, then edited in place). */
  | { type: 'post-consent'; roundId: string }
  | { type: 'update-consent'; roundId: string }
  /** A stance's reason, in the thread of the post it is about (`answerId`: an action's). */
  | { type: 'post-stance'; blockId: string; version: number; index: number; answerId?: string }
  /** An action's consent post: made once in its question's thread, then edited in place. */
  | { type: 'post-action'; answerId: string }
  | { type: 'update-action'; answerId: string }
  /** A form answer is not in the thread: the bot echoes it there, with attribution. */
  | { type: 'post-echo'; answerId: string }
  /** A post that quoted a member who asked to be forgotten, edited to say only that something was removed. */
  | { type: 'erase-post'; post: ErasedPost }
  | { type: 'update-progress' }
  | { type: 'compile-canvas'; final: boolean }
  /** `since`: answers newer than this are the week's new ones. */
  | { type: 'post-digest'; since: string }
  | { type: 'export'; format: ExportFormat; requestedBy: Person }
  | { type: 'set-schedule' }
  | { type: 'remove-schedule' }
  /** A message to the channel, from the prompt `key`. */
  | { type: 'notice'; key: NoticeKey; vars?: Record<string, string | number> }
  /** An ephemeral answer to the one who typed the command. */
  | { type: 'reply'; key: ReplyKey; vars?: Record<string, string | number> };

export type TransitionResult =
  | { ok: true; campaign: Campaign; effects: Effect[] }
  /** `error` is a prompt key (errors/<id>), shown to the actor in their language. */
  | { ok: false; error: UserErrorId; vars?: Record<string, string | number> };

export type UserErrorId =
  | 'not-admin'
  | 'no-campaign'
  | 'already-running'
  | 'not-running'
  | 'not-paused'
  | 'already-paused'
  | 'campaign-ended'
  | 'no-open-question'
  | 'no-more-questions'
  | 'unknown-question'
  | 'empty-answer'
  | 'answer-too-long'
  | 'unknown-answer'
  | 'invalid-cadence'
  | 'invalid-timezone'
  | 'invalid-language'
  | 'invalid-format'
  | 'invalid-quiet-days'
  | 'invalid-holiday'
  | 'invalid-reminder'
  /** Quiet days and holidays leave no run of the cadence to open or close a round on. */
  | 'no-allowed-run'
  /** The list of members to mention in a nudge is full. */
  | 'remind-me-full'
  | 'empty-statement'
  | 'statement-too-long'
  | 'no-statement'
  | 'action-withdrawn'
  /** A stance on a version that has since been revised. */
  | 'statement-revised'
  | 'consent-closed'
  | 'reason-required'
  | 'unknown-block'
  | 'unknown-subcommand'
  | 'bad-argument'
  | 'bad-template'
  | 'busy'
  /** The event could not be applied (kept aside with its error for an operator). */
  | 'internal'
  /** The channel's campaign is stored but cannot be read back. */
  | 'campaign-unreadable';

/** Longest answer kept, in characters: long enough for an essay, short enough for every platform. */
export const MAX_ANSWER_LENGTH = 8000;
