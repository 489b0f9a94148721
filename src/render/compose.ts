import { findBlock } from '../canvas/template-loader.js';
import { activeAnswers } from '../facilitation/machine.js';
import { memberName } from '../facilitation/people.js';
import { nextPendingRound, openRound, roundsOf } from '../facilitation/rounds.js';
import type { Answer } from '../facilitation/types.js';
import type { OutboundFile, OutboundPost, QuestionParts } from '../platform.js';
import { composeDeadlineLine, deadlineOf, stepView } from './compose-round.js';
import {
  blockExcerptView,
  type ComposeContext,
  canvasOf,
  commonView,
  figuresOf,
  renderWith,
} from './compose-views.js';
import { actionButtons, writeButtons } from './core-buttons.js';
import type { NoticeKey } from './message-keys.js';
import { completeVars } from './prompt-vars.js';
import { formatDateTime, formatDay, listOf } from './view-helpers.js';

export { composeIntro } from './compose-intro.js';
export { composeNudge, composeRound } from './compose-round.js';
export { composeHelp, composeReply, composeStatus } from './compose-text.js';
export type { ComposeContext } from './compose-views.js';
export { canvasUrl } from './view-helpers.js';

export type ComposedPost = Omit<OutboundPost, 'dedupeKey'>;

function questionSpec(ctx: ComposeContext, blockId: string) {
  const found = findBlock(ctx.template, blockId);
  if (!found) throw new Error(`block ${blockId} is not in template ${ctx.campaign.templateId}`);
  const lang = ctx.campaign.lang;
  const index = ctx.campaign.questions.findIndex((q) => q.blockId === blockId);
  return {
    ficheNumber: found.fiche.number,
    ficheTitle: found.fiche.title[lang],
    blockTitle: found.block.title[lang],
    question: found.block.question[lang],
    example: found.block.example[lang],
    hints: found.block.hints.map((h) => h[lang]),
    position: index >= 0 ? index + 1 : 0,
    total: ctx.campaign.questions.length,
  };
}

/** A question post; `question` carries the same parts, escaped, for adapters that lay them out. */
export function composeQuestion(ctx: ComposeContext, blockId: string): ComposedPost {
  const spec = questionSpec(ctx, blockId);
  const view = {
    ...commonView(ctx, figuresOf(ctx)),
    ...spec,
    hints: spec.hints.map((text) => ({ text })),
    hasHints: spec.hints.length > 0,
  };
  const esc = ctx.format.escape;
  const question: QuestionParts = {
    blockId,
    ficheTitle: esc(spec.ficheTitle),
    blockTitle: esc(spec.blockTitle),
    question: esc(spec.question),
    example: esc(spec.example),
    hints: spec.hints.map(esc),
    position: spec.position,
    total: spec.total,
    lang: ctx.campaign.lang,
  };
  const deadline = deadlineOf(ctx, blockId);
  const buttons = actionButtons(ctx, blockId);
  const extra = buttons.length > 0 ? { buttons } : {};
  if (deadline === undefined)
    return { kind: 'question', text: renderWith(ctx, 'question', view), question, ...extra };
  // The deadline line is its own prompt, so the question prompt reads the same without one.
  const text = `${renderWith(ctx, 'question', view)}\n\n${composeDeadlineLine(ctx, deadline)}`;
  return { kind: 'question', text, question: { ...question, deadline: esc(deadline) }, ...extra };
}

function openQuestionView(ctx: ComposeContext) {
  const open = openRound(ctx.campaign);
  if (!open) return { hasOpen: false, openTitle: '', openPosition: 0 };
  const step = stepView(ctx, open);
  return { hasOpen: true, openTitle: step.title, openPosition: step.positions };
}

/** The living progress message, updated in place after every answer. */
export function composeProgress(ctx: ComposeContext): ComposedPost {
  const view = {
    ...commonView(ctx, figuresOf(ctx)),
    ...openQuestionView(ctx),
    completed: ctx.campaign.status === 'completed' || ctx.campaign.status === 'cancelled',
    updatedAt: formatDateTime(ctx.now, ctx.campaign.lang, ctx.campaign.tz),
  };
  return { kind: 'progress', text: renderWith(ctx, 'progress', view) };
}

/** The canvas in the channel: each synthesis area with short excerpts, gaps shown as gaps. */
export function composeSummary(ctx: ComposeContext, final: boolean): ComposedPost {
  const canvas = canvasOf(ctx);
  const inAreas = new Set(canvas.synthesis.flatMap((a) => a.blocks.map((b) => b.id)));
  const others = canvas.fiches
    .flatMap((f) => f.blocks)
    .filter((b) => !inAreas.has(b.id) && !b.gap)
    .map(blockExcerptView);
  const view = {
    ...commonView(ctx, canvas),
    final,
    generatedAt: formatDateTime(ctx.now, ctx.campaign.lang, ctx.campaign.tz),
    areas: canvas.synthesis.map((area) => ({
      title: area.title,
      gap: area.gap,
      count: area.count,
      blocks: area.blocks.map(blockExcerptView),
    })),
    others,
    hasOthers: others.length > 0,
    contributorNames: listOf(
      canvas.contributors.map((c) => c.name),
      ctx.campaign.lang,
    ),
  };
  // The final canvas comes when the last round closes: its blocks' shared versions are written from here.
  const last = roundsOf(ctx.campaign).at(-1);
  const buttons = final && last ? writeButtons(ctx, last.blockIds) : [];
  return {
    kind: 'summary',
    text: renderWith(ctx, 'summary', { ...view, hasWrite: buttons.length > 0 }),
    ...(buttons.length > 0 ? { buttons } : {}),
  };
}

/** The weekly digest: where each fiche stands, what came in since `since`, what comes next. */
export function composeDigest(ctx: ComposeContext, since: Date, nextRunAt?: Date): ComposedPost {
  const canvas = canvasOf(ctx);
  const { lang, tz } = ctx.campaign;
  const sinceIso = since.toISOString();
  const blocks = canvas.fiches.flatMap((f) => f.blocks);
  const fresh = blocks
    .map((b) => ({ title: b.title, count: b.answers.filter((a) => a.createdAt > sinceIso).length }))
    .filter((b) => b.count > 0);
  // Counted on the stored answers: an anonymous canvas shows no author ids to tell people apart.
  const known = new Set(blocks.map((b) => b.id));
  const freshAuthors = new Set(
    activeAnswers(ctx.campaign)
      .filter((a) => known.has(a.blockId) && a.createdAt > sinceIso)
      .map((a) => a.author.id),
  );
  const pending = nextPendingRound(ctx.campaign);
  const view = {
    ...commonView(ctx, canvas),
    since: formatDay(since, lang, tz),
    newCount: fresh.reduce((n, b) => n + b.count, 0),
    newBlocks: fresh,
    hasNew: fresh.length > 0,
    participants: freshAuthors.size,
    hasNext: pending !== undefined,
    nextTitle: pending ? stepView(ctx, pending).title : '',
    hasNextAt: pending !== undefined && nextRunAt !== undefined,
    nextAt: nextRunAt ? formatDateTime(nextRunAt, lang, tz) : '',
  };
  return { kind: 'digest', text: renderWith(ctx, 'digest', view) };
}

/** An answer given through a modal, shown in the question's thread so everyone reads it. */
export function composeEcho(ctx: ComposeContext, answer: Answer): ComposedPost {
  const view = {
    ...commonView(ctx, canvasOf(ctx)),
    authorName: memberName(ctx.campaign, answer.author),
    blockTitle: questionSpec(ctx, answer.blockId).blockTitle,
    text: answer.text,
  };
  return { kind: 'echo', text: renderWith(ctx, 'echo', view) };
}

/**
 * What a post that quoted a forgotten member says instead: only that something was removed, never
 * what or whose; no button left on it.
 */
export function composeErased(
  ctx: ComposeContext,
  kind: Extract<ComposedPost['kind'], 'echo' | 'action-consent' | 'stance'>,
): ComposedPost {
  return { kind, text: renderWith(ctx, 'erased', commonView(ctx, canvasOf(ctx))), buttons: [] };
}

/** A channel notice the state machine asked for. */
export function composeNotice(
  ctx: ComposeContext,
  key: NoticeKey,
  vars: Record<string, string | number>,
): ComposedPost {
  const extras: Record<string, string> = {};
  if (typeof vars.blockId === 'string' && findBlock(ctx.template, vars.blockId)) {
    extras.blockTitle = questionSpec(ctx, vars.blockId).blockTitle;
  }
  const round = ctx.template.rounds?.find((r) => r.id === vars.roundId);
  if (round) extras.roundTitle = round.title[ctx.campaign.lang];
  const view = {
    ...commonView(ctx, figuresOf(ctx)),
    ...completeVars(key, vars, ctx.campaign.lang),
    ...extras,
  };
  return { kind: 'notice', text: renderWith(ctx, key, view) };
}

const FORMAT_NAMES: Record<string, string> = {
  md: 'Markdown',
  json: 'JSON',
  csv: 'CSV',
  svg: 'SVG',
  png: 'PNG',
};

/** The post that carries an export file (and a link to it when the platform gave one). */
export function composeExportPost(ctx: ComposeContext, file: OutboundFile, url?: string): ComposedPost {
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  const view = {
    ...commonView(ctx, canvasOf(ctx)),
    fileName: file.name,
    formatName: FORMAT_NAMES[extension] ?? extension.toUpperCase(),
    hasUrl: url !== undefined && url !== '',
    fileLink: () => (text: string, render: (t: string) => string) =>
      url ? ctx.format.link(url, render(text).trim()) : '',
  };
  return { kind: 'export', text: renderWith(ctx, 'export', view), file };
}
