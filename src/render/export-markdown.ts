import type { CompiledBlock, CompiledCanvas } from '../canvas/canvas-types.js';
import type { Lang } from '../facilitation/types.js';
import type { ExportFile } from './export-csv.js';
import { escapeMarkdown as esc, markdownFormat as md } from './markdown-format.js';
import { formatDay, formatPercent } from './view-helpers.js';

/** The export's own words (a file, not a chat message, so they live here rather than in prompts/). */
const LABELS = {
  fr: {
    tool: 'Compilé à partir des réponses de la communauté avec Canevas.',
    generated: 'Généré le',
    progress: 'Progression',
    blocks: 'blocs renseignés',
    answers: 'réponses',
    answer: 'réponse',
    contributors: 'Contributeurs et contributrices',
    synthesis: 'Synthèse',
    fiche: 'Fiche',
    question: 'Question',
    gap: 'Lacune : aucune réponse pour l’instant.',
    gapShort: 'lacune',
    edited: 'modifiée',
    ostrom: 'Principes d’Ostrom',
    answered: 'renseigné',
    nobody: 'Personne n’a encore répondu.',
    colon: ' : ',
  },
  en: {
    tool: 'Compiled from the community’s answers with Canevas.',
    generated: 'Generated on',
    progress: 'Progress',
    blocks: 'blocks answered',
    answers: 'answers',
    answer: 'answer',
    contributors: 'Contributors',
    synthesis: 'Synthesis',
    fiche: 'Sheet',
    question: 'Question',
    gap: 'Gap: no answer yet.',
    gapShort: 'gap',
    edited: 'edited',
    ostrom: 'Ostrom’s principles',
    answered: 'answered',
    nobody: 'Nobody has answered yet.',
    colon: ': ',
  },
} as const satisfies Record<Lang, Record<string, string>>;

type Labels = (typeof LABELS)[Lang];

function countOf(n: number, l: Labels): string {
  return `${n} ${n === 1 ? l.answer : l.answers}`;
}

function blockSection(block: CompiledBlock, l: Labels, lang: Lang, tz: string): string[] {
  const lines = [
    `### ${esc(block.title)}`,
    '',
    `${md.italic(l.question)}${l.colon}${esc(block.question)}`,
    '',
  ];
  if (block.gap) return [...lines, md.italic(l.gap), ''];
  for (const answer of block.answers) {
    const edited = answer.edited ? ` (${l.edited})` : '';
    const by = `— ${md.bold(esc(answer.author.name))}, ${formatDay(answer.createdAt, lang, tz)}${edited}`;
    lines.push(md.quote(`${esc(answer.text)}\n\n${by}`), '');
  }
  return lines;
}

/** A document a community can commit as GOVERNANCE-CANVAS.md: credit, progress, synthesis, every fiche. */
export function exportMarkdown(canvas: CompiledCanvas, lang: Lang): ExportFile {
  const l = LABELS[lang];
  const tz = canvas.campaign.tz;
  const { progress } = canvas;
  const out: string[] = [
    `# ${esc(canvas.template.name)}`,
    '',
    md.quote(`${esc(canvas.template.credit)}\n${esc(l.tool)}`),
    '',
    `${l.generated} ${formatDay(canvas.generatedAt, lang, tz)}.`,
    `${md.bold(l.progress)}${l.colon}${progress.answered}/${progress.total} ${l.blocks} ` +
      `(${formatPercent(progress.ratio, lang)}), ${countOf(canvas.totalAnswers, l)}.`,
    '',
    `## ${l.synthesis}`,
    '',
  ];
  for (const area of canvas.synthesis) {
    out.push(`### ${esc(area.title)}`, '');
    for (const block of area.blocks) {
      const state = block.gap ? md.italic(l.gapShort) : countOf(block.count, l);
      out.push(`- ${esc(block.title)}${l.colon}${state}`);
    }
    out.push('');
  }
  if (canvas.ostrom.length > 0) {
    out.push(`## ${l.ostrom}`, '');
    for (const principle of canvas.ostrom) {
      const mark = principle.hasAnswers ? '✓' : '○';
      const blocks = principle.blocks
        .map((b) => `${esc(b.title)} (${b.count > 0 ? l.answered : l.gapShort})`)
        .join(', ');
      out.push(`- ${mark} ${md.bold(esc(principle.title))}${l.colon}${blocks}`);
    }
    out.push('');
  }
  for (const fiche of canvas.fiches) {
    out.push(`## ${l.fiche} ${fiche.number} · ${esc(fiche.title)}`, '');
    for (const block of fiche.blocks) out.push(...blockSection(block, l, lang, tz));
  }
  out.push(`## ${l.contributors}`, '');
  if (canvas.contributors.length === 0) out.push(l.nobody);
  for (const person of canvas.contributors) out.push(`- ${esc(person.name)} (${countOf(person.count, l)})`);
  return {
    filename: 'GOVERNANCE-CANVAS.md',
    contentType: 'text/markdown; charset=utf-8',
    data: `${out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
  };
}
