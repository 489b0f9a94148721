import { type CanvasFigures, type FicheFigures, figuresOfCanvas } from '../canvas/canvas-figures.js';
import type { CompiledBlock, CompiledCanvas } from '../canvas/canvas-types.js';
import { compileCanvas } from '../canvas/compile.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import type { Campaign, Lang } from '../facilitation/types.js';
import type { TextFormat } from '../platform.js';
import { describeCadence } from '../schedule/cadence.js';
import type { Renderer, View } from './renderer.js';
import { canvasUrl, excerpt, formatPercent, progressBar } from './view-helpers.js';

/** Everything a compose function needs; `canvas` is compiled on demand when the caller has none. */
export interface ComposeContext {
  campaign: Campaign;
  template: CanvasTemplate;
  canvas?: CompiledCanvas;
  /** The counts alone, when the caller has them without the answers (`status`): no canvas is compiled. */
  figures?: CanvasFigures;
  format: TextFormat;
  renderer: Renderer;
  publicUrl: string;
  now: Date;
  /** Days an ended campaign is kept (CANEVAS_RETENTION_DAYS): the introduction tells members. */
  retentionDays?: number;
}

export function canvasOf(ctx: ComposeContext): CompiledCanvas {
  return ctx.canvas ?? compileCanvas(ctx.campaign, ctx.template, ctx.now);
}

type Lambda = () => (text: string, render: (template: string) => string) => string;

/** `{{#canvasLink}}label{{/canvasLink}}`: the label stays in the prompt, in its language. */
export function linkLambda(format: TextFormat, url: string): Lambda {
  return () => (text, render) => format.link(url, render(text).trim());
}

/** The figures of the context: its counts, or those of its canvas (compiled if need be). */
export function figuresOf(ctx: ComposeContext): CanvasFigures {
  return ctx.figures ?? figuresOfCanvas(canvasOf(ctx));
}

/** `complete` lets a final post or an early `stop` say whether questions are still unanswered. */
export function progressView(canvas: Pick<CanvasFigures, 'progress'>, lang: Lang) {
  const { answered, total, asked, ratio } = canvas.progress;
  return {
    answered,
    total,
    asked,
    complete: answered === total,
    bar: progressBar(ratio),
    percent: formatPercent(ratio, lang),
  };
}

export function fichesView(canvas: { fiches: readonly FicheFigures[] }, lang: Lang) {
  return canvas.fiches.map((fiche) => ({
    number: fiche.number,
    title: fiche.title,
    answered: fiche.answered,
    total: fiche.total,
    bar: progressBar(fiche.ratio),
    percent: formatPercent(fiche.ratio, lang),
  }));
}

const EXCERPTS_PER_BLOCK = 3;

/** A block for the summary: a few short excerpts with their authors, or a gap. */
export function blockExcerptView(block: CompiledBlock) {
  const shown = block.answers.slice(0, EXCERPTS_PER_BLOCK);
  return {
    id: block.id,
    title: block.title,
    gap: block.gap,
    count: block.count,
    // The « nous » first: the block's agreed shared statement, then the answers, most supported first.
    agreed: block.statement.status === 'agreed' ? excerpt(block.statement.text ?? '', 280) : '',
    answers: shown.map((a) => ({
      author: a.author.name,
      excerpt: excerpt(a.text),
      support: a.support.agree > 0 ? `👍 ${a.support.agree}` : '',
    })),
    more: block.count - shown.length,
  };
}

/** Names every prompt may use: formatting lambdas come from the renderer, the rest from here. */
export function commonView(ctx: ComposeContext, canvas: CompiledCanvas | CanvasFigures): View {
  const { campaign } = ctx;
  const url = canvasUrl(ctx.publicUrl, campaign.id, campaign.key);
  return {
    canvasUrl: url,
    canvasLink: linkLambda(ctx.format, url),
    cadenceWords: describeCadence(campaign.cadence, campaign.lang),
    tz: campaign.tz,
    exampleCommunity: ctx.template.example.name,
    templateName: ctx.template.name[campaign.lang],
    progress: progressView(canvas, campaign.lang),
    fiches: fichesView(canvas, campaign.lang),
    contributorCount: canvas.contributorCount,
    totalAnswers: canvas.totalAnswers,
  };
}

export function renderWith(ctx: ComposeContext, key: Parameters<Renderer['render']>[1], view: View): string {
  return ctx.renderer.render(ctx.campaign.lang, key, view, ctx.format);
}
