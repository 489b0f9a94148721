import { isActionBlock, parseAction } from '../facilitation/actions.js';
import { activeAnswers } from '../facilitation/machine.js';
import { projectPlan } from '../facilitation/plan.js';
import { currentStances, statementStatus } from '../facilitation/statements.js';
import { type Support, withSupport } from '../facilitation/support.js';
import type { Answer, Campaign, Person, StanceRecord, Statement } from '../facilitation/types.js';
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
  const fiches: CompiledFiche[] = template.fiches.map((fiche) => {
    const compiled = fiche.blocks.map((block) =>
      compileBlock({ campaign, now, permalinkOf }, fiche, block, byBlock.get(block.id) ?? []),
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
    contributors: countContributors(answers),
    totalAnswers: answers.length,
    plan: projectPlan(campaign, template, now),
    actions: compileActions(campaign, template, all, now),
  };
}

/** Answers of the action blocks written in the action shape, most supported first. */
function compileActions(
  campaign: Campaign,
  template: CanvasTemplate,
  blocks: CompiledBlock[],
  now: Date,
): CompiledAction[] {
  const actions = blocks
    .filter((b) => isActionBlock(template, b.id))
    .flatMap((b) =>
      b.answers.flatMap((a): CompiledAction[] => {
        const action = parseAction(a.text);
        if (!action) return [];
        const { agree, disagree } = a.support;
        const consent = compileStatement(campaign, campaign.actionConsents?.[a.id], now);
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

/** A block's shared statement, or an action's consent: every version, where it stands now. */
function compileStatement(
  campaign: Campaign,
  statement: Statement | undefined,
  now: Date,
): CompiledStatement {
  const versions = (statement?.versions ?? []).map((v) => ({
    text: v.text,
    by: { ...v.by },
    at: v.at,
    closesAt: v.closesAt,
    stances: v.stances.map(compileStance),
  }));
  const latest = statement?.versions.at(-1);
  return {
    ...(latest ? { text: latest.text } : {}),
    status: statementStatus(campaign, statement, now),
    versions,
    stances: latest ? currentStances(latest).map(compileStance) : [],
  };
}

function compileStance(s: StanceRecord): CompiledStance {
  return { author: { ...s.author }, stance: s.stance, ...(s.reason ? { reason: s.reason } : {}), at: s.at };
}

interface BlockContext {
  campaign: Campaign;
  now: Date;
  permalinkOf: PermalinkOf | undefined;
}

function compileBlock(
  { campaign, now, permalinkOf }: BlockContext,
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
    compileAnswer(answer, support, link(answer)),
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
    contributors: distinctAuthors(answers),
    count: compiled.length,
    lastEditAt,
    gap: compiled.length === 0,
    statement: compileStatement(campaign, campaign.statements?.[block.id], now),
  };
}

function compileAnswer(
  answer: Answer,
  { agree, disagree }: Support,
  permalink: string | undefined,
): CompiledAnswer {
  return {
    id: answer.id,
    author: { id: answer.author.id, name: answer.author.name },
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

function distinctAuthors(answers: Answer[]): Person[] {
  const seen = new Map<string, Person>();
  for (const a of answers) if (!seen.has(a.author.id)) seen.set(a.author.id, { ...a.author });
  return [...seen.values()];
}

/** Everyone who answered, in order of their first answer, with how many answers they gave. */
function countContributors(answers: Answer[]): Contributor[] {
  const seen = new Map<string, Contributor>();
  for (const a of answers) {
    const known = seen.get(a.author.id);
    if (known) known.count += 1;
    else seen.set(a.author.id, { id: a.author.id, name: a.author.name, count: 1 });
  }
  return [...seen.values()];
}
