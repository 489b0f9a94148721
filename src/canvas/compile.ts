import { activeAnswers } from '../facilitation/machine.js';
import { projectPlan } from '../facilitation/plan.js';
import { bySupport, supportOf } from '../facilitation/support.js';
import type { Answer, Campaign, Person } from '../facilitation/types.js';
import type {
  CompiledAnswer,
  CompiledArea,
  CompiledBlock,
  CompiledCanvas,
  CompiledFiche,
  CompiledPrinciple,
  Contributor,
} from './canvas-types.js';
import type { BlockTemplate, CanvasTemplate, FicheTemplate } from './template-schema.js';

export type * from './canvas-types.js';

/**
 * Lays a campaign's active answers on its template. Pure: the same campaign, template and `now` give
 * the same canvas. A block nobody answered is a gap; nothing is ever made up to fill it.
 */
export function compileCanvas(campaign: Campaign, template: CanvasTemplate, now: Date): CompiledCanvas {
  const lang = campaign.lang;
  // An answer to a block the template does not have (a stale custom template) has nowhere to show.
  const known = new Set(template.fiches.flatMap((f) => f.blocks.map((b) => b.id)));
  const answers = activeAnswers(campaign).filter((a) => known.has(a.blockId));
  const byBlock = groupByBlock(answers);
  const blocks = new Map<string, CompiledBlock>();
  const fiches: CompiledFiche[] = template.fiches.map((fiche) => {
    const compiled = fiche.blocks.map((block) =>
      compileBlock(campaign, fiche, block, byBlock.get(block.id) ?? []),
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
    return {
      id: principle.id,
      title: principle.title[lang],
      blocks: principleBlocks,
      hasAnswers: principleBlocks.some((b) => b.count > 0),
    };
  });
  const all = [...blocks.values()];
  const answered = all.filter((b) => !b.gap).length;
  return {
    schemaVersion: 2,
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
  };
}

function compileBlock(
  campaign: Campaign,
  fiche: FicheTemplate,
  block: BlockTemplate,
  answers: Answer[],
): CompiledBlock {
  const lang = campaign.lang;
  const question = campaign.questions.find((q) => q.blockId === block.id);
  // Most supported first, everywhere the answers are shown.
  const compiled = bySupport(answers).map(compileAnswer);
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
  };
}

function compileAnswer(answer: Answer): CompiledAnswer {
  return {
    id: answer.id,
    author: { id: answer.author.id, name: answer.author.name },
    text: answer.text,
    createdAt: answer.createdAt,
    updatedAt: answer.updatedAt,
    edited: answer.history.length > 0,
    source: answer.source,
    support: (({ agree, disagree }) => ({ agree: agree.length, disagree: disagree.length }))(
      supportOf(answer),
    ),
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

function ratioOf(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
