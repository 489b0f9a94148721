import type { Answer, Campaign } from '../facilitation/types.js';
import type { CanvasProgress, CompiledCanvas, CompiledFiche } from './canvas-types.js';
import type { CanvasTemplate } from './template-schema.js';

/**
 * The counts a campaign's progress lines show (`status`, the progress bars of every post), without
 * its answers: from a compiled canvas, or from the answer counts the store keeps with the campaign,
 * so `/canevas status` reads a few numbers instead of loading and compiling every answer. Both give
 * the same figures (a test compares them).
 */
export interface CanvasFigures {
  progress: CanvasProgress;
  fiches: readonly FicheFigures[];
  contributorCount: number;
  totalAnswers: number;
  /** Each block of the template, in the campaign's language, with its number of answers. */
  blocks: ReadonlyMap<string, { title: string; count: number }>;
}

export type FicheFigures = Pick<CompiledFiche, 'id' | 'number' | 'title' | 'answered' | 'total' | 'ratio'>;

/**
 * What the store keeps of a campaign's active answers (not removed), updated in the same atomic
 * step as each save: how many per block, and how many people gave them.
 */
export interface AnswerCounts {
  blocks: Record<string, number>;
  people: number;
}

/** The counts of these answers, as the store keeps them (removed answers do not count). */
export function countAnswers(answers: Iterable<Answer>): AnswerCounts {
  const { blocks, people } = tallyAnswers(answers);
  return { blocks, people: Object.keys(people).length };
}

/** Active answers per block and per author: the two hashes the store keeps up to date. */
export function tallyAnswers(answers: Iterable<Answer>): {
  blocks: Record<string, number>;
  people: Record<string, number>;
} {
  const blocks: Record<string, number> = {};
  const people: Record<string, number> = {};
  for (const a of answers) {
    if (a.removedAt) continue;
    blocks[a.blockId] = (blocks[a.blockId] ?? 0) + 1;
    people[a.author.id] = (people[a.author.id] ?? 0) + 1;
  }
  return { blocks, people };
}

export function figuresOfCanvas(canvas: CompiledCanvas): CanvasFigures {
  const blocks = new Map<string, { title: string; count: number }>();
  for (const fiche of canvas.fiches)
    for (const b of fiche.blocks) blocks.set(b.id, { title: b.title, count: b.count });
  return {
    progress: canvas.progress,
    fiches: canvas.fiches.map(({ id, number, title, answered, total, ratio }) => ({
      id,
      number,
      title,
      answered,
      total,
      ratio,
    })),
    // Counted apart from the names, which an anonymous canvas does not list.
    contributorCount: canvas.contributorCount,
    totalAnswers: canvas.totalAnswers,
    blocks,
  };
}

/**
 * The figures `compileCanvas` would give, from the stored counts. Undefined when the counts name a
 * block the template does not have: compiling leaves such answers (and maybe their authors) out, which
 * counts alone cannot do, so the caller compiles instead (it does not happen with stored templates).
 */
export function figuresOfCounts(
  campaign: Campaign,
  template: CanvasTemplate,
  counts: AnswerCounts,
): CanvasFigures | undefined {
  const lang = campaign.lang;
  const blocks = new Map<string, { title: string; count: number }>();
  for (const fiche of template.fiches)
    for (const b of fiche.blocks) blocks.set(b.id, { title: b.title[lang], count: counts.blocks[b.id] ?? 0 });
  let totalAnswers = 0;
  for (const [blockId, count] of Object.entries(counts.blocks)) {
    if (count > 0 && !blocks.has(blockId)) return undefined;
    totalAnswers += count;
  }
  const fiches = template.fiches.map((fiche): FicheFigures => {
    const answered = fiche.blocks.filter((b) => (blocks.get(b.id)?.count ?? 0) > 0).length;
    const total = fiche.blocks.length;
    return {
      id: fiche.id,
      number: fiche.number,
      title: fiche.title[lang],
      answered,
      total,
      ratio: ratioOf(answered, total),
    };
  });
  const answered = [...blocks.values()].filter((b) => b.count > 0).length;
  return {
    progress: {
      answered,
      total: blocks.size,
      asked: campaign.questions.filter((q) => q.status !== 'pending').length,
      ratio: ratioOf(answered, blocks.size),
    },
    fiches,
    contributorCount: counts.people,
    totalAnswers,
    blocks,
  };
}

export function ratioOf(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
