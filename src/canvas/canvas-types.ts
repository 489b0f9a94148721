import type { CampaignPlan } from '../facilitation/plan.js';
import type {
  CampaignStatus,
  Lang,
  OstromRating,
  Person,
  QuestionStatus,
  Stance,
  StatementStatus,
} from '../facilitation/types.js';
import type { SynthesisArea } from './template-schema.js';

/**
 * The compiled canvas: a campaign's answers laid out on its template, in the campaign's language.
 * Plain data, so it can be rendered, exported (docs/export-schema.md) or shown on the canvas page.
 */
export interface CompiledCanvas {
  /** 2: the plan of rounds was added. 3: statements, support, permalinks and actions. */
  schemaVersion: 3;
  generatedAt: string;
  campaign: CompiledCampaignInfo;
  template: { name: string; credit: string; exampleCommunity: string };
  fiches: CompiledFiche[];
  synthesis: CompiledArea[];
  ostrom: CompiledPrinciple[];
  progress: CanvasProgress;
  /** Everyone who answered, named; empty in an anonymous campaign, where only `contributorCount` says. */
  contributors: Contributor[];
  /** How many people answered, anonymous or not. */
  contributorCount: number;
  totalAnswers: number;
  /** Answers removed at their authors' request (`forget-me`): counted, never described. */
  forgottenAnswers: number;
  /** The rounds with their dates (past, open, projected) and when the campaign ends. */
  plan: CampaignPlan;
  /** Every action proposed in the action blocks, in the one shape, most supported first. */
  actions: CompiledAction[];
}

export interface CompiledStance {
  author: Person;
  stance: Stance;
  reason?: string;
  at: string;
}

export interface CompiledStatementVersion {
  text: string;
  by: Person;
  at: string;
  closesAt: string;
  stances: CompiledStance[];
}

/** The block's shared version: its latest text and where it stands, every version kept. */
export interface CompiledStatement {
  /** The latest version's text; absent when none was written. */
  text?: string;
  status: StatementStatus;
  versions: CompiledStatementVersion[];
  /** Each member's current stance on the latest version. */
  stances: CompiledStance[];
}

export interface CompiledAction {
  blockId: string;
  answerId: string;
  author: Person;
  what: string;
  who: string;
  due: string;
  indicator: string;
  support: { agree: number; disagree: number };
  /**
   * `agreed`: agreed by consent, on its own or as part of its block's agreed shared version (which names
   * it); `objected`: an objection to it stands; else `supported` (more agree than disagree), `contested`
   * (as many or more disagree) or `proposed` (no reaction yet).
   */
  status: 'agreed' | 'objected' | 'proposed' | 'supported' | 'contested';
  /** Its own consent round: every wording (an edit is a new version), the stances on each. */
  consent: CompiledStatement;
  permalink?: string;
}

export interface CompiledCampaignInfo {
  id: string;
  /** The name given at start, or the template's name. */
  name: string;
  lang: Lang;
  tz: string;
  cadence: string;
  status: CampaignStatus;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** Answers and stances without names (« un·e membre »), ids and links to messages. */
  anonymous: boolean;
}

export interface CompiledAnswer {
  /** The platform's message id; in an anonymous campaign, an opaque id that leads to no message. */
  id: string;
  /** In an anonymous campaign, `{ id: '', name: 'a member' }` (in the campaign's language). */
  author: Person;
  text: string;
  createdAt: string;
  updatedAt: string;
  /** True once the author changed the text (the earlier texts are kept in the store, not here). */
  edited: boolean;
  source: 'thread' | 'modal' | 'playground';
  /** How many members agree (👍 ✅ ➕) and disagree (👎), the author aside. */
  support: { agree: number; disagree: number };
  /** A link to the answer's message on its platform, when the platform gives one. */
  permalink?: string;
}

/** `not-planned`: the template has the block but the campaign does not ask it. */
export type BlockQuestionStatus = QuestionStatus | 'not-planned';

export interface CompiledBlock {
  id: string;
  ficheId: string;
  ficheNumber: number;
  title: string;
  question: string;
  status: BlockQuestionStatus;
  /** Active answers, most supported first (then oldest first). */
  answers: CompiledAnswer[];
  /** Distinct authors, in the order of their first answer. */
  contributors: Person[];
  count: number;
  lastEditAt?: string;
  /** No active answer: shown as a gap, never filled in. */
  gap: boolean;
  statement: CompiledStatement;
  /** Answers removed here at their authors' request: a count, nothing else. */
  forgotten: number;
}

export interface CompiledFiche {
  id: string;
  number: number;
  title: string;
  blocks: CompiledBlock[];
  answered: number;
  total: number;
  /** answered / total, 0..1. */
  ratio: number;
}

export interface CompiledArea {
  id: string;
  title: string;
  placement: SynthesisArea['placement'];
  blocks: CompiledBlock[];
  count: number;
  gap: boolean;
}

export interface CompiledPrinciple {
  id: string;
  title: string;
  blocks: { id: string; title: string; count: number }[];
  hasAnswers: boolean;
  /** How many members rated it so (the assessment near the end); all 0 before anyone did. */
  ratings: Record<OstromRating, number>;
  /** Most of those who rated it say "not yet": it is one of the community's open questions. */
  open: boolean;
}

export interface CanvasProgress {
  /** Blocks with at least one active answer. */
  answered: number;
  total: number;
  /** Questions posted so far (open, closed or skipped). */
  asked: number;
  ratio: number;
}

export interface Contributor extends Person {
  count: number;
}
