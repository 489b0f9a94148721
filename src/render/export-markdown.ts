import type { CompiledBlock, CompiledCanvas } from '../canvas/canvas-types.js';
import type { Lang } from '../facilitation/types.js';
import type { ExportFile } from './export-csv.js';
import { escapeMarkdown as esc, markdownFormat as md } from './markdown-format.js';
import { formatDay, formatPercent, plural } from './view-helpers.js';

/** The export's own words (a file, not a chat message, so they live here rather than in prompts/). */
const LABELS = {
  fr: {
    tool: 'Compilé à partir des réponses de la communauté avec Canevas.',
    generated: 'Généré le',
    progress: 'Progression',
    blocks: (answered: number, total: number) =>
      `${plural(answered, 'fr', 'bloc renseigné', 'blocs renseignés')} sur ${total}`,
    answers: (count: number) => plural(count, 'fr', 'réponse', 'réponses'),
    contributors: 'Contributeurs et contributrices',
    synthesis: 'Synthèse',
    fiche: 'Fiche',
    question: 'Question',
    gap: 'À compléter\u00A0: pas encore de réponse.',
    gapShort: 'à compléter',
    edited: 'modifiée',
    ostrom: 'Principes d’Ostrom',
    ostromNote:
      '«\u00A0Abordé\u00A0» veut dire que des réponses en parlent, pas que le principe est tenu\u00A0: ' +
      'c’est à la communauté d’en juger.',
    addressed: 'abordé',
    notAddressed: 'non abordé',
    nobody: 'Personne n’a encore répondu.',
    colon: '\u00A0: ',
  },
  en: {
    tool: 'Compiled from the community’s answers with Canevas.',
    generated: 'Generated on',
    progress: 'Progress',
    blocks: (answered: number, total: number) =>
      `${answered} of ${plural(total, 'en', 'block', 'blocks')} answered`,
    answers: (count: number) => plural(count, 'en', 'answer', 'answers'),
    contributors: 'Contributors',
    synthesis: 'Synthesis',
    fiche: 'Sheet',
    question: 'Question',
    gap: 'Not answered yet.',
    gapShort: 'not answered yet',
    edited: 'edited',
    ostrom: 'Ostrom’s principles',
    ostromNote:
      '“Addressed” means that some answers speak to it, not that the principle is met: that is for the ' +
      'community to judge.',
    addressed: 'addressed',
    notAddressed: 'not addressed yet',
    nobody: 'Nobody has answered yet.',
    colon: ': ',
  },
} as const satisfies Record<Lang, Record<string, string | ((...counts: number[]) => string)>>;

type Labels = (typeof LABELS)[Lang];

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
    `${md.bold(l.progress)}${l.colon}${l.blocks(progress.answered, progress.total)} ` +
      `(${formatPercent(progress.ratio, lang)}), ${l.answers(canvas.totalAnswers)}.`,
    '',
    `## ${l.synthesis}`,
    '',
  ];
  for (const area of canvas.synthesis) {
    out.push(`### ${esc(area.title)}`, '');
    for (const block of area.blocks) {
      const state = block.gap ? md.italic(l.gapShort) : l.answers(block.count);
      out.push(`- ${esc(block.title)}${l.colon}${state}`);
    }
    out.push('');
  }
  if (canvas.ostrom.length > 0) {
    out.push(`## ${l.ostrom}`, '', md.italic(esc(l.ostromNote)), '');
    for (const principle of canvas.ostrom) {
      const state = principle.hasAnswers ? l.addressed : l.notAddressed;
      const blocks = principle.blocks
        .map((b) => `${esc(b.title)} · ${b.count > 0 ? l.answers(b.count) : l.gapShort}`)
        .join(', ');
      out.push(`- ${md.bold(esc(principle.title))}${l.colon}${state} (${blocks})`);
    }
    out.push('');
  }
  for (const fiche of canvas.fiches) {
    out.push(`## ${l.fiche} ${fiche.number} · ${esc(fiche.title)}`, '');
    for (const block of fiche.blocks) out.push(...blockSection(block, l, lang, tz));
  }
  out.push(`## ${l.contributors}`, '');
  if (canvas.contributors.length === 0) out.push(l.nobody);
  for (const person of canvas.contributors) out.push(`- ${esc(person.name)} (${l.answers(person.count)})`);
  return {
    filename: 'GOVERNANCE-CANVAS.md',
    contentType: 'text/markdown; charset=utf-8',
    data: `${out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
  };
}
