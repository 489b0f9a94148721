import { beforeAll, describe, expect, it } from 'vitest';
import { blockOrder, loadDefaultTemplate, roundsOf } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';

let template: CanvasTemplate;
beforeAll(async () => {
  template = await loadDefaultTemplate();
});

/** French typography: a narrow no-break space before ; ! ?, a no-break space before : and inside « ». */
function frenchTypographyIssues(text: string): string[] {
  const issues: string[] = [];
  if (/[^\u202f][;!?]/.test(text)) issues.push('; ! ? need U+202F before them');
  if (/[^\u00a0]:/.test(text)) issues.push(': needs U+00A0 before it');
  if (/«[^\u00a0]|[^\u00a0]»/.test(text)) issues.push('« » need U+00A0 inside');
  return issues;
}

describe('the default template’s rounds (workshop format)', () => {
  it('groups the 29 blocks in 9 rounds of 2 to 5, each within one fiche, in the canvas’s order', () => {
    const rounds = roundsOf(template);
    expect(rounds).toHaveLength(9);
    expect(rounds.flatMap((r) => r.blocks)).toEqual(blockOrder(template));
    expect(blockOrder(template)).toEqual(template.fiches.flatMap((f) => f.blocks.map((b) => b.id)));
    for (const round of rounds) {
      expect(round.blocks.length, round.id).toBeGreaterThanOrEqual(2);
      expect(round.blocks.length, round.id).toBeLessThanOrEqual(5);
      const fiches = new Set(round.blocks.map((id) => id.split('.')[0]));
      expect(fiches.size, round.id).toBe(1);
    }
    // Most rounds hold 3 to 5 blocks; only the last, the closing pair, holds two.
    expect(rounds.filter((r) => r.blocks.length < 3).map((r) => r.id)).toEqual(['first_step']);
  });

  it('titles every round in both languages, the French with French typography', () => {
    for (const round of roundsOf(template)) {
      expect(round.title.fr, round.id).not.toEqual(round.title.en);
      expect(frenchTypographyIssues(round.title.fr), round.title.fr).toEqual([]);
    }
    expect(frenchTypographyIssues('Où en sommes-nous ?')).toHaveLength(1);
  });
});
