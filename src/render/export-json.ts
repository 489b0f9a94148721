import type { CompiledBlock, CompiledCanvas, CompiledStatement } from '../canvas/canvas-types.js';
import type { ExportFile } from './export-csv.js';

/** A shared statement, or an action's consent, as exported. */
const statementJson = (s: CompiledStatement) => ({
  text: s.text ?? null,
  status: s.status,
  versions: s.versions,
  stances: s.stances,
});

/** The block as exported: everything but the fiche fields its parent already says. */
function blockJson(block: CompiledBlock) {
  return {
    id: block.id,
    title: block.title,
    question: block.question,
    status: block.status,
    gap: block.gap,
    count: block.count,
    lastEditAt: block.lastEditAt ?? null,
    contributors: block.contributors,
    forgotten: block.forgotten,
    statement: statementJson(block.statement),
    answers: block.answers.map((a) => ({ ...a, permalink: a.permalink ?? null })),
  };
}

/**
 * The canvas as JSON, schema version 3 (docs/export-schema.md). Each block appears once, in its fiche;
 * synthesis areas and Ostrom principles refer to blocks by id.
 */
export function exportJson(canvas: CompiledCanvas): ExportFile {
  const document = {
    schemaVersion: canvas.schemaVersion,
    generatedAt: canvas.generatedAt,
    campaign: {
      id: canvas.campaign.id,
      lang: canvas.campaign.lang,
      tz: canvas.campaign.tz,
      cadence: canvas.campaign.cadence,
      status: canvas.campaign.status,
      createdAt: canvas.campaign.createdAt,
      startedAt: canvas.campaign.startedAt ?? null,
      endedAt: canvas.campaign.endedAt ?? null,
      anonymous: canvas.campaign.anonymous,
    },
    template: canvas.template,
    progress: canvas.progress,
    totalAnswers: canvas.totalAnswers,
    forgottenAnswers: canvas.forgottenAnswers,
    contributorCount: canvas.contributorCount,
    contributors: canvas.contributors,
    fiches: canvas.fiches.map((fiche) => ({
      id: fiche.id,
      number: fiche.number,
      title: fiche.title,
      answered: fiche.answered,
      total: fiche.total,
      ratio: fiche.ratio,
      blocks: fiche.blocks.map(blockJson),
    })),
    synthesis: canvas.synthesis.map((area) => ({
      id: area.id,
      title: area.title,
      placement: area.placement,
      blocks: area.blocks.map((b) => b.id),
      count: area.count,
      gap: area.gap,
    })),
    ostrom: canvas.ostrom.map((principle) => ({
      id: principle.id,
      title: principle.title,
      blocks: principle.blocks.map((b) => b.id),
      hasAnswers: principle.hasAnswers,
      ratings: principle.ratings,
      open: principle.open,
    })),
    plan: {
      rounds: canvas.plan.rounds.map((round) => ({
        id: round.id,
        title: round.title,
        blockIds: round.blockIds,
        opensAt: round.opensAt ?? null,
        closesAt: round.closesAt ?? null,
        status: round.status,
      })),
      endsAt: canvas.plan.endsAt ?? null,
      quietDays: canvas.plan.quietDays,
      holidays: canvas.plan.holidays,
      reminderHours: canvas.plan.reminderHours,
    },
    actions: canvas.actions.map((a) => ({
      what: a.what,
      who: a.who,
      due: a.due,
      indicator: a.indicator,
      blockId: a.blockId,
      status: a.status,
      consent: statementJson(a.consent),
      author: a.author,
      support: a.support,
      answerId: a.answerId,
      permalink: a.permalink ?? null,
    })),
  };
  return {
    filename: `canvas-${canvas.campaign.id}.json`,
    contentType: 'application/json; charset=utf-8',
    data: `${JSON.stringify(document, null, 2)}\n`,
  };
}
