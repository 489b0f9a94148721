import type { TemplateIssue } from './template-error.js';
import type { CanvasTemplate } from './template-schema.js';

/** Adds an issue for every id seen before in `ids` (the later occurrence is the one reported). */
function findDuplicates(
  entries: readonly { id: string; path: string }[],
  what: string,
  issues: TemplateIssue[],
): void {
  const firstSeen = new Map<string, string>();
  for (const { id, path } of entries) {
    const earlier = firstSeen.get(id);
    if (earlier === undefined) firstSeen.set(id, path);
    else issues.push({ path, problem: `duplicate ${what} "${id}" (already used at ${earlier})` });
  }
}

/**
 * Checks what the schema alone cannot: ids unique, and every block the synthesis and the Ostrom view
 * name actually exists. Returns the issues in document order; empty when the template is consistent.
 */
export function checkTemplate(template: CanvasTemplate): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  findDuplicates(
    template.fiches.map((fiche, i) => ({ id: fiche.id, path: `fiches[${i}].id` })),
    'fiche id',
    issues,
  );
  findDuplicates(
    template.fiches.map((fiche, i) => ({ id: String(fiche.number), path: `fiches[${i}].number` })),
    'fiche number',
    issues,
  );
  const blocks = template.fiches.flatMap((fiche, i) =>
    fiche.blocks.map((block, j) => ({ id: block.id, path: `fiches[${i}].blocks[${j}].id` })),
  );
  findDuplicates(blocks, 'block id', issues);
  const known = new Set(blocks.map((b) => b.id));

  findDuplicates(
    template.synthesis.map((area, i) => ({ id: area.id, path: `synthesis[${i}].id` })),
    'synthesis area id',
    issues,
  );
  checkReferences(template.synthesis, 'synthesis', known, issues);

  findDuplicates(
    template.ostrom.map((principle, i) => ({ id: principle.id, path: `ostrom[${i}].id` })),
    'Ostrom principle id',
    issues,
  );
  checkReferences(template.ostrom, 'ostrom', known, issues);
  if (template.rounds) checkRounds(template, known, issues);
  return issues;
}

/** Every block in exactly one round, and a round within one fiche. */
function checkRounds(template: CanvasTemplate, known: ReadonlySet<string>, issues: TemplateIssue[]): void {
  const rounds = template.rounds ?? [];
  findDuplicates(
    rounds.map((round, i) => ({ id: round.id, path: `rounds[${i}].id` })),
    'round id',
    issues,
  );
  checkReferences(rounds, 'rounds', known, issues);
  const ficheOf = new Map(template.fiches.flatMap((f) => f.blocks.map((b) => [b.id, f.id] as const)));
  const placed = new Map<string, string>();
  rounds.forEach((round, i) => {
    const fiches = new Set(round.blocks.map((id) => ficheOf.get(id)).filter((f) => f !== undefined));
    if (fiches.size > 1)
      issues.push({
        path: `rounds[${i}].blocks`,
        problem: `a round stays within one fiche (this one spans ${[...fiches].join(', ')})`,
      });
    round.blocks.forEach((id, j) => {
      const earlier = placed.get(id);
      if (earlier && earlier !== `rounds[${i}]`)
        issues.push({ path: `rounds[${i}].blocks[${j}]`, problem: `block "${id}" is already in ${earlier}` });
      placed.set(id, `rounds[${i}]`);
    });
  });
  for (const id of known) {
    if (!placed.has(id)) issues.push({ path: 'rounds', problem: `block "${id}" is in no round` });
  }
}

function checkReferences(
  groups: readonly { blocks: readonly string[] }[],
  section: string,
  known: ReadonlySet<string>,
  issues: TemplateIssue[],
): void {
  groups.forEach((group, i) => {
    group.blocks.forEach((id, j) => {
      if (!known.has(id)) {
        issues.push({
          path: `${section}[${i}].blocks[${j}]`,
          problem: `unknown block "${id}" (no fiche has it)`,
        });
      }
    });
    findDuplicates(
      group.blocks.map((id, j) => ({ id, path: `${section}[${i}].blocks[${j}]` })),
      'block',
      issues,
    );
  });
}
