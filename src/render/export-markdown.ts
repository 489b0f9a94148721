import type {
  CompiledAnswer,
  CompiledBlock,
  CompiledCanvas,
  CompiledStatement,
} from '../canvas/canvas-types.js';
import type { Lang } from '../facilitation/types.js';
import type { ExportFile } from './export-csv.js';
import { DOCUMENT_WORDS, type DocumentWords } from './export-markdown-words.js';
import { escapeDocument as esc, markdownFormat as md } from './markdown-format.js';
import { dayFormatter, formatDay, listOf } from './view-helpers.js';

/** How long after the workshop the document says it should be looked at again. */
const REVIEW_AFTER_YEARS = 1;

/** A cell of a Markdown table: one line, its pipes escaped. */
const cell = (text: string) =>
  esc(text)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');

/** "👍 2 · 👎 1", or nothing when nobody reacted. */
function supportLine(support: CompiledAnswer['support']): string {
  const parts = [
    ...(support.agree > 0 ? [`👍 ${support.agree}`] : []),
    ...(support.disagree > 0 ? [`👎 ${support.disagree}`] : []),
  ];
  return parts.join(' · ');
}

/** The header: whose canvas, where it stands, when, how many took part, when to review it. */
function header(canvas: CompiledCanvas, w: DocumentWords, lang: Lang): string[] {
  const { campaign } = canvas;
  const tz = campaign.tz;
  const day = (iso: string) => formatDay(iso, lang, tz);
  const start = campaign.startedAt ?? campaign.createdAt;
  const end = campaign.endedAt ?? canvas.plan.endsAt;
  const reviewFrom = new Date(end ?? canvas.generatedAt);
  reviewFrom.setUTCFullYear(reviewFrom.getUTCFullYear() + REVIEW_AFTER_YEARS);
  const blocks = canvas.fiches.flatMap((f) => f.blocks);
  const agreed = blocks.filter((b) => b.statement.status === 'agreed').length;
  return [
    `# ${esc(campaign.name)}${w.titleSuffix}`,
    '',
    `${md.bold(w.status)}${w.colon}${w.statusOf[campaign.status]} · ${md.bold(w.workshop)}${w.colon}` +
      `${w.fromTo(day(start), end ? day(end) : '…')} · ${md.bold(w.people)}${w.colon}${canvas.contributorCount}` +
      ` · ${md.bold(w.answers)}${w.colon}${canvas.totalAnswers}`,
    `${md.bold(w.agreedCount)}${w.colon}${w.agreedOf(agreed, blocks.length)} · ${md.bold(w.review)}${w.colon}` +
      `${day(reviewFrom.toISOString())}`,
    '',
    md.italic(esc(w.howToRead)),
    '',
    ...(campaign.anonymous ? [md.italic(esc(w.anonymous)), ''] : []),
    ...(canvas.forgottenAnswers > 0 ? [md.italic(esc(`${w.forgotten(canvas.forgottenAnswers)}.`)), ''] : []),
  ];
}

/** A block's shared version as the document states it: agreed, under consent, objected, or none yet. */
function statementSection(
  block: CompiledBlock,
  w: DocumentWords,
  lang: Lang,
  tz: string,
  anonymous: boolean,
): string[] {
  const s: CompiledStatement = block.statement;
  const lines = [`#### ${esc(block.title)}`, ''];
  const latest = s.versions.at(-1);
  if (!latest || s.text === undefined) return [];
  const version = s.versions.length > 1 ? ` ${w.version(s.versions.length)}` : '';
  const consenting = s.stances.filter((x) => x.stance === 'consent');
  // Without names, « un·e membre, un·e membre et un·e membre » says less than a count.
  const consented = anonymous ? [w.members(consenting.length)] : consenting.map((x) => x.author.name);
  const concerns = s.stances.filter((x) => x.stance === 'concern');
  const objections = s.stances.filter((x) => x.stance === 'objection');
  switch (s.status) {
    case 'agreed':
      lines.push(esc(s.text), '');
      lines.push(
        md.italic(
          `${w.agreedBy(formatDay(latest.stances.at(-1)?.at ?? latest.at, lang, tz), esc(listOf(consented, lang)))}` +
            `${concerns.length > 0 ? w.withConcerns(concerns.length) : ''}${version}`,
        ),
        '',
      );
      break;
    case 'objected':
      lines.push(md.italic(`${w.objected}${version}`), '', md.quote(esc(s.text)), '');
      for (const o of objections)
        lines.push(`- ${md.bold(esc(o.author.name))}${w.colon}${esc(o.reason ?? '')}`);
      lines.push('');
      break;
    case 'consent-open':
      lines.push(md.italic(`${w.underConsent(formatDay(latest.closesAt, lang, tz))}${version}`), '');
      lines.push(md.quote(esc(s.text)), '');
      break;
    case 'draft':
      lines.push(md.italic(`${w.draft}${version}`), '', md.quote(esc(s.text)), '');
      break;
    default:
      return [];
  }
  for (const c of concerns)
    if (c.reason) lines.push(`- ${w.concernBy(esc(c.author.name))}${w.colon}${esc(c.reason)}`);
  if (concerns.some((c) => c.reason)) lines.push('');
  return lines;
}

function actionsSection(canvas: CompiledCanvas, w: DocumentWords, lang: Lang): string[] {
  const out = [`## ${w.actions}`, ''];
  if (canvas.actions.length === 0) return [...out, md.italic(w.noActions), ''];
  out.push(`| # | ${w.actionCols.join(' | ')} |`, `|---|${w.actionCols.map(() => '---').join('|')}|`);
  canvas.actions.forEach((a, i) => {
    const due = formatDay(`${a.due}T12:00:00Z`, lang, 'UTC');
    const support = supportLine(a.support) || '—';
    const link = a.permalink ? ` [${w.link}](${a.permalink})` : '';
    out.push(
      `| A${i + 1} | ${cell(a.what)}${link} | ${cell(a.who)} | ${due} | ${cell(a.indicator)} | ${support} | ${w.actionStatus[a.status]} |`,
    );
  });
  return [...out, ''];
}

function ostromSection(canvas: CompiledCanvas, w: DocumentWords): string[] {
  if (canvas.ostrom.length === 0) return [];
  const out = [`## ${w.ostrom}`, '', md.italic(esc(w.ostromNote)), ''];
  out.push(`| ${w.ostromCols.join(' | ')} |`, `|${w.ostromCols.map(() => '---').join('|')}|`);
  for (const p of canvas.ostrom) {
    const blocks = p.blocks.map((b) => `${b.title} (${b.count})`).join(', ');
    const r = p.ratings;
    out.push(
      `| ${cell(p.title)} | ${r['in-place']} | ${r.partly} | ${r['not-yet']} | ${r.unknown} | ${p.hasAnswers ? w.addressed : w.notAddressed}: ${cell(blocks)} |`,
    );
  }
  return [...out, ''];
}

/** Blocks answered but not agreed yet, and answers the community is split on. */
function openQuestions(canvas: CompiledCanvas, w: DocumentWords): string[] {
  const blocks = canvas.fiches.flatMap((f) => f.blocks);
  const pending = blocks.filter((b) => !b.gap && b.statement.status !== 'agreed');
  const split = blocks.flatMap((b) =>
    b.answers.filter((a) => a.support.agree >= 2 && a.support.disagree >= 2).map((a) => ({ b, a })),
  );
  const principles = canvas.ostrom.filter((p) => p.open);
  const out = [`## ${w.open}`, ''];
  if (pending.length === 0 && split.length === 0 && principles.length === 0)
    return [...out, md.italic(w.noOpen), ''];
  for (const p of principles)
    out.push(`- ${md.bold(esc(p.title))}${w.colon}${w.notYetPrinciple(p.ratings['not-yet'])}`);
  for (const b of pending) out.push(`- ${md.bold(esc(b.title))}${w.colon}${w.pendingOf[b.statement.status]}`);
  for (const { b, a } of split)
    out.push(
      `- ${w.split(esc(b.title), esc(a.author.name))} (${supportLine(a.support)})${a.permalink ? ` [${w.link}](${a.permalink})` : ''}`,
    );
  return [...out, ''];
}

/** Everything everyone said, block by block, most supported first, with a link back to the message. */
function annex(canvas: CompiledCanvas, w: DocumentWords, lang: Lang, tz: string): string[] {
  const out = [`## ${w.annex}`, ''];
  const day = dayFormatter(lang, tz);
  for (const fiche of canvas.fiches) {
    out.push(`### ${w.fiche} ${fiche.number} · ${esc(fiche.title)}`, '');
    for (const block of fiche.blocks) {
      out.push(
        `#### ${esc(block.title)}`,
        '',
        `${md.italic(w.question)}${w.colon}${esc(block.question)}`,
        '',
      );
      const forgotten = block.forgotten > 0 ? [md.italic(esc(`${w.forgotten(block.forgotten)}.`)), ''] : [];
      if (block.gap) {
        out.push(md.italic(w.gap), '', ...forgotten);
        continue;
      }
      for (const a of block.answers) {
        const edited = a.edited ? ` (${w.edited})` : '';
        const support = supportLine(a.support);
        const link = a.permalink ? ` · [${w.link}](${a.permalink})` : '';
        const by = `— ${md.bold(esc(a.author.name))}, ${day(a.createdAt)}${edited}${support ? ` · ${support}` : ''}${link}`;
        out.push(md.quote(`${esc(a.text)}\n\n${by}`), '');
      }
      out.push(...forgotten);
    }
  }
  return out;
}

/**
 * GOVERNANCE-CANVAS.md, a document a community can commit: whose canvas, its status and dates, what was
 * agreed by consent (first), the actions with owners and dates, Ostrom's principles, the open questions,
 * then everything everyone said, with links back to the messages.
 */
export function exportMarkdown(canvas: CompiledCanvas, lang: Lang): ExportFile {
  const w = DOCUMENT_WORDS[lang];
  const tz = canvas.campaign.tz;
  const out: string[] = [...header(canvas, w, lang), `## ${w.agreed}`, ''];
  for (const fiche of canvas.fiches) {
    out.push(`### ${w.fiche} ${fiche.number} · ${esc(fiche.title)}`, '');
    const written = fiche.blocks.filter((b) => b.statement.status !== 'none');
    for (const block of written) out.push(...statementSection(block, w, lang, tz, canvas.campaign.anonymous));
    // The blocks with no shared version yet, in one line rather than a heading each.
    const none = fiche.blocks.filter((b) => b.statement.status === 'none').map((b) => esc(b.title));
    if (none.length > 0) out.push(`${md.italic(w.noStatementFor)}${w.colon}${listOf(none, lang)}.`, '');
  }
  out.push(...actionsSection(canvas, w, lang), ...ostromSection(canvas, w), ...openQuestions(canvas, w));
  out.push(...annex(canvas, w, lang, tz));
  out.push(`## ${w.credits}`, '', md.quote(`${esc(canvas.template.credit)}\n${esc(w.tool)}`), '');
  return {
    filename: 'GOVERNANCE-CANVAS.md',
    contentType: 'text/markdown; charset=utf-8',
    data: `${out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
  };
}
