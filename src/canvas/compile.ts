import { createHash } from 'node:crypto';
import { isActionBlock, parseAction } from '../facilitation/actions.js';
import { forgottenCount } from '../facilitation/forget.js';
import { activeAnswers } from '../facilitation/machine.js';
import { MEMBER_WORD } from '../facilitation/people.js';
import { projectPlan } from '../facilitation/plan.js';
import { currentStances, statementStatus } from '../facilitation/statements.js';
import { type Support, withSupport } from '../facilitation/support.js';
import type { Answer, Campaign, Lang, Person, StanceRecord, Statement } from '../facilitation/types.js';
import { ratioOf } from './canvas-figures.js';
import type {
  CompiledAction,
  CompiledAnswer,
  CompiledArea,
  CompiledBlock,
  CompiledCanvas,
  CompiledFiche,
  CompiledPrinciple,
  CompiledStance,
  CompiledStatement,
  Contributor,
} from './canvas-types.js';
import type { BlockTemplate, CanvasTemplate, FicheTemplate } from './template-schema.js';

export type * from './canvas-types.js';

/**
 * Lays a campaign's active answers on its template. Pure: the same campaign, template and `now` give
 * the same canvas. A block nobody answered is a gap; nothing is ever made up to fill it.
 */
/** Where an answer's message can be opened, given by the platform that posted its question. */
export type PermalinkOf = (answer: { messageRef: string; threadRef?: string }) => string | undefined;

export function compileCanvas(
  campaign: Campaign,
  template: CanvasTemplate,
  now: Date,
  permalinkOf?: PermalinkOf,
): CompiledCanvas {
  const lang = campaign.lang;
  // An answer to a block the template does not have (a stale custom template) has nowhere to show.
  const known = new Set(template.fiches.flatMap((f) => f.blocks.map((b) => b.id)));
  const answers = activeAnswers(campaign).filter((a) => known.has(a.blockId));
  const byBlock = groupByBlock(answers);
  const blocks = new Map<string, CompiledBlock>();
  const shown = shownPeople(campaign);
  const ctx: BlockContext = { campaign, now, permalinkOf: shown.anonymous ? undefined : permalinkOf, shown };
  const fiches: CompiledFiche[] = template.fiches.map((fiche) => {
    const compiled = fiche.blocks.map((block) =>
      compileBlock(ctx, fiche, block, byBlock.get(block.id) ?? []),
    );
    for (const block of compiled) blocks.set(block.id, block);
    const answered = compiled.filter((b) => !b.gap).length;
    return {
      id: fiche.id,
      number: fiche.number,
      title: fiche.title[lang],
      blocks: compiled,
      answered,
      total: compiled.length,
      ratio: ratioOf(answered, compiled.length),
    };
  });
  const pick = (ids: string[]) => ids.flatMap((id) => blocks.get(id) ?? []);
  const synthesis: CompiledArea[] = template.synthesis.map((area) => {
    const areaBlocks = pick(area.blocks);
    return {
      id: area.id,
      title: area.title[lang],
      placement: area.placement,
      blocks: areaBlocks,
      count: areaBlocks.reduce((n, b) => n + b.count, 0),
      gap: areaBlocks.every((b) => b.gap),
    };
  });
  const ostrom: CompiledPrinciple[] = template.ostrom.map((principle) => {
    const principleBlocks = pick(principle.blocks).map((b) => ({ id: b.id, title: b.title, count: b.count }));
    const ratings = { 'in-place': 0, partly: 0, 'not-yet': 0, unknown: 0 };
    for (const a of Object.values(campaign.ostrom ?? {})) {
      const rating = a.ratings[principle.id];
      if (rating) ratings[rating] += 1;
    }
    const notYet = ratings['not-yet'];
    return {
      id: principle.id,
      title: principle.title[lang],
      blocks: principleBlocks,
      hasAnswers: principleBlocks.some((b) => b.count > 0),
      ratings,
      open: notYet > 0 && Object.values(ratings).every((n) => n <= notYet),
    };
  });
  const all = [...blocks.values()];
  const answered = all.filter((b) => !b.gap).length;
  return {
    schemaVersion: 3,
    generatedAt: now.toISOString(),
    campaign: {
      id: campaign.id,
      name: campaign.name ?? template.name[lang],
      lang,
      tz: campaign.tz,
      cadence: campaign.cadence,
      status: campaign.status,
      createdAt: campaign.createdAt,
      startedAt: campaign.startedAt,
      endedAt: campaign.endedAt,
      anonymous: shown.anonymous,
    },
    template: {
      name: template.name[lang],
      credit: template.credit[lang],
      exampleCommunity: template.example.name,
    },
    fiches,
    synthesis,
    ostrom,
    progress: {
      answered,
      total: all.length,
      asked: campaign.questions.filter((q) => q.status !== 'pending').length,
      ratio: ratioOf(answered, all.length),
    },
    contributors: shown.anonymous ? [] : countContributors(answers, lang),
    contributorCount: new Set(answers.map((a) => a.author.id)).size,
    totalAnswers: answers.length,
    forgottenAnswers: forgottenCount(campaign),
    plan: projectPlan(campaign, template, now),
    actions: compileActions(ctx, template, all, answers),
  };
}

/**
 * An anonymous campaign's answer id in its exports: stable from one export to the next, but leading to
 * no message (a message id leads to its author). Keyed with the campaign's secret, so it cannot be
 * worked back from the ids of the channel's messages.
 */
const opaqueAnswerId = (secret: string, answerId: string) =>
  `m-${createHash('sha256').update(`${secret}:${answerId}`).digest('base64url').slice(0, 12)}`;

/** How people show in the canvas: by name, or in an anonymous campaign as « un·e membre », with no id. */
interface ShownPeople {
  anonymous: boolean;
  /** A member giving (answers, stances, actions): nameless in an anonymous campaign. */
  member(person: Person): Person;
  /** A facilitator writing a shared text: named even in an anonymous campaign (without an id), unless forgotten. */
  writer(person: Person): Person;
  answerId(id: string): string;
}

function shownPeople(campaign: Campaign): ShownPeople {
  const anonymous = campaign.anonymous === true;
  const nobody: Person = { id: '', name: MEMBER_WORD[campaign.lang] };
  // A name not kept (a forgotten member's stand-in) shows as a member, without the stand-in's id.
  const named = (p: Person): Person => (p.name === '' ? { ...nobody } : { id: p.id, name: p.name });
  return {
    anonymous,
    member: (p) => (anonymous ? { ...nobody } : named(p)),
    // No id leaves an anonymous campaign, not even a facilitator's.
    writer: (p) => (anonymous ? { ...named(p), id: '' } : named(p)),
    answerId: (id) => (anonymous ? opaqueAnswerId(campaign.key, id) : id),
  };
}

/** Answers of the action blocks written in the action shape, most supported first. */
function compileActions(
  ctx: BlockContext,
  template: CanvasTemplate,
  blocks: CompiledBlock[],
  answers: Answer[],
): CompiledAction[] {
  const { campaign, now, shown } = ctx;
  // A compiled answer's id is opaque in an anonymous campaign: its consent is found by the stored one.
  const storedId = new Map(answers.map((a) => [shown.answerId(a.id), a.id]));
  const actions = blocks
    .filter((b) => isActionBlock(template, b.id))
    .flatMap((b) =>
      b.answers.flatMap((a): CompiledAction[] => {
        const action = parseAction(a.text);
        if (!action) return [];
        const { agree, disagree } = a.support;
        const consent = compileStatement(
          campaign,
          campaign.actionConsents?.[storedId.get(a.id) ?? a.id],
          now,
          shown,
          true,
        );
        // Agreed by consent on its own, or as part of its block's agreed shared version, which names it.
        const named = b.statement.status === 'agreed' && (b.statement.text ?? '').includes(action.what);
        const status =
          consent.status === 'agreed' || named
            ? 'agreed'
            : consent.status === 'objected'
              ? 'objected'
              : agree + disagree === 0
                ? 'proposed'
                : agree > disagree
                  ? 'supported'
                  : 'contested';
        return [
          {
            blockId: b.id,
            answerId: a.id,
            author: a.author,
            ...action,
            support: a.support,
            status,
            consent,
            ...(a.permalink ? { permalink: a.permalink } : {}),
          },
        ];
      }),
    );
  return actions.sort((x, y) => y.support.agree - x.support.agree || x.due.localeCompare(y.due));
}

/**
 * A block's shared statement, or an action's consent (`action`: its versions are its author's answer,
 * so they are a member's, not a facilitator's): every version, where it stands now.
 */
function compileStatement(
  campaign: Campaign,
  statement: Statement | undefined,
  now: Date,
  shown: ShownPeople,
  action = false,
): CompiledStatement {
  const stance = (s: StanceRecord) => compileStance(s, shown);
  const versions = (statement?.versions ?? []).map((v) => ({
    text: v.text,
    by: action ? shown.member(v.by) : shown.writer(v.by),
    at: v.at,
    closesAt: v.closesAt,
    stances: v.stances.map(stance),
  }));
  const latest = statement?.versions.at(-1);
  return {
    ...(latest ? { text: latest.text } : {}),
    status: statementStatus(campaign, statement, now),
    versions,
    stances: latest ? currentStances(latest).map(stance) : [],
  };
}

function compileStance(s: StanceRecord, shown: ShownPeople): CompiledStance {
  return {
    author: shown.member(s.author),
    stance: s.stance,
    ...(s.reason ? { reason: s.reason } : {}),
    at: s.at,
  };
}

interface BlockContext {
  campaign: Campaign;
  now: Date;
  permalinkOf: PermalinkOf | undefined;
  shown: ShownPeople;
}

function compileBlock(
  { campaign, now, permalinkOf, shown }: BlockContext,
  fiche: FicheTemplate,
  block: BlockTemplate,
  answers: Answer[],
): CompiledBlock {
  const lang = campaign.lang;
  const question = campaign.questions.find((q) => q.blockId === block.id);
  // A form's answer has no message of its own: its link is the question's thread, where it was echoed.
  const link = (a: Answer) =>
    permalinkOf?.(
      a.source === 'modal'
        ? { messageRef: question?.postRef ?? '' }
        : { messageRef: a.id, ...(question?.postRef ? { threadRef: question.postRef } : {}) },
    );
  // Most supported first, everywhere the answers are shown.
  const compiled = withSupport(answers).map(({ answer, support }) =>
    compileAnswer(answer, support, link(answer), shown),
  );
  const lastEditAt = compiled.reduce<string | undefined>(
    (last, a) => (last === undefined || a.updatedAt > last ? a.updatedAt : last),
    undefined,
  );
  return {
    id: block.id,
    ficheId: fiche.id,
    ficheNumber: fiche.number,
    title: block.title[lang],
    question: block.question[lang],
    status: question?.status ?? 'not-planned',
    answers: compiled,
    contributors: shown.anonymous ? [] : distinctAuthors(answers, campaign.lang),
    count: compiled.length,
    lastEditAt,
    gap: compiled.length === 0,
    statement: compileStatement(campaign, campaign.statements?.[block.id], now, shown),
    forgotten: forgottenCount(campaign, block.id),
  };
}

function compileAnswer(
  answer: Answer,
  { agree, disagree }: Support,
  permalink: string | undefined,
  shown: ShownPeople,
): CompiledAnswer {
  return {
    id: shown.answerId(answer.id),
    author: shown.member(answer.author),
    text: answer.text,
    createdAt: answer.createdAt,
    updatedAt: answer.updatedAt,
    edited: answer.history.length > 0,
    source: answer.source,
    support: { agree: agree.length, disagree: disagree.length },
    ...(permalink ? { permalink } : {}),
  };
}

function groupByBlock(answers: Answer[]): Map<string, Answer[]> {
  const map = new Map<string, Answer[]>();
  for (const answer of answers) {
    const list = map.get(answer.blockId);
    if (list) list.push(answer);
    else map.set(answer.blockId, [answer]);
  }
  return map;
}

function distinctAuthors(answers: Answer[], lang: Lang): Person[] {
  return countContributors(answers, lang).map(({ id, name }) => ({ id, name }));
}

/** Everyone who answered, in order of their first answer, with how many answers they gave. */
function countContributors(answers: Answer[], lang: Lang): Contributor[] {
  const seen = new Map<string, Contributor>();
  for (const a of answers) {
    const known = seen.get(a.author.id);
    if (known) known.count += 1;
    else seen.set(a.author.id, { id: a.author.id, name: a.author.name || MEMBER_WORD[lang], count: 1 });
  }
  return [...seen.values()];
}
