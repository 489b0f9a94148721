import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledBlock, CompiledCanvas } from '../../src/canvas/canvas-types.js';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { INJECTION, SAMPLE_NOW, sampleCampaign } from '../fixtures/sample-campaign.js';

let template: CanvasTemplate;
let canvas: CompiledCanvas;

function block(id: string): CompiledBlock {
  const found = canvas.fiches.flatMap((f) => f.blocks).find((b) => b.id === id);
  if (!found) throw new Error(`no block ${id}`);
  return found;
}

beforeAll(async () => {
  template = await loadDefaultTemplate();
  canvas = compileCanvas(sampleCampaign('fr'), template, SAMPLE_NOW);
});

describe('compileCanvas', () => {
  it('stamps the schema version and the time it was generated', () => {
    expect(canvas.schemaVersion).toBe(3);
    expect(canvas.generatedAt).toBe(SAMPLE_NOW.toISOString());
    expect(canvas.campaign).toMatchObject({
      id: 'playground-local-general-sample',
      lang: 'fr',
      status: 'running',
    });
    expect(JSON.stringify(canvas)).not.toContain('k3y_s3cret');
  });

  it('names the campaign as it was started, or after its template', () => {
    expect(canvas.campaign.name).toBe(template.name.fr);
    const named = compileCanvas({ ...sampleCampaign('en'), name: 'Vélocarte' }, template, SAMPLE_NOW);
    expect(named.campaign.name).toBe('Vélocarte');
  });

  it('keeps active answers in creation order and drops removed ones', () => {
    expect(block('def.resource').answers.map((a) => a.id)).toEqual(['m1', 'm2']);
    expect(block('def.purpose').answers.map((a) => a.id)).toEqual(['m3']);
    expect(block('def.purpose').count).toBe(1);
    expect(canvas.totalAnswers).toBe(6);
  });

  it('marks edited answers and keeps the text exactly as written', () => {
    const [first, second] = block('def.resource').answers;
    expect(first?.edited).toBe(false);
    expect(second?.edited).toBe(true);
    expect(block('def.values').answers[0]?.text).toBe(INJECTION);
    expect(block('def.resource').lastEditAt).toBe('2026-12-09T07:05:00.000Z');
  });

  it('shows unanswered blocks as gaps with no text', () => {
    const stakeholders = block('def.stakeholders');
    expect(stakeholders.gap).toBe(true);
    expect(stakeholders.answers).toEqual([]);
    expect(stakeholders.status).toBe('skipped');
    expect(block('prj.next_step').status).toBe('pending');
    expect(block('def.community').status).toBe('open');
  });

  it('uses the campaign language for titles and questions', () => {
    expect(block('def.values').title).toBe(template.fiches[0]?.blocks[2]?.title.fr);
    const en = compileCanvas(sampleCampaign('en'), template, SAMPLE_NOW);
    expect(en.fiches[0]?.blocks[2]?.title).toBe(template.fiches[0]?.blocks[2]?.title.en);
  });

  it('counts per fiche and overall', () => {
    expect(canvas.fiches.map((f) => [f.answered, f.total])).toEqual([
      [4, 9],
      [0, 10],
      [0, 10],
    ]);
    expect(canvas.progress).toEqual({ answered: 4, total: 29, asked: 5, ratio: 4 / 29 });
  });

  it('lists contributors in order of first answer with their counts', () => {
    expect(canvas.contributors).toEqual([
      { id: 'U0ADA', name: 'Ada', count: 2 },
      { id: 'U0BEN', name: 'Ben_42', count: 2 },
      { id: 'U0CHLOE', name: 'Chloé', count: 2 },
    ]);
    expect(block('def.values').contributors.map((p) => p.id)).toEqual(['U0BEN', 'U0ADA']);
  });

  it('fills synthesis areas from their blocks; an area with no answer is a gap', () => {
    const identity = canvas.synthesis.find((a) => a.id === 'identity');
    expect(identity?.gap).toBe(false);
    expect(identity?.count).toBe(5);
    const rules = canvas.synthesis.find((a) => a.id === 'rules');
    expect(rules?.gap).toBe(true);
    expect(rules?.blocks.every((b) => b.gap)).toBe(true);
  });

  it('checks the answers against the Ostrom principles', () => {
    expect(canvas.ostrom.length).toBe(template.ostrom.length);
    expect(canvas.ostrom.every((p) => p.hasAnswers === false)).toBe(true);
  });

  it('works on a tiny custom template and ignores answers to blocks it does not have', () => {
    const tiny: CanvasTemplate = {
      version: 1,
      name: { fr: 'Mini', en: 'Mini' },
      example: { name: 'Ex', description: { fr: 'd', en: 'd' } },
      credit: { fr: 'c', en: 'c' },
      fiches: [
        {
          id: 'definition',
          number: 1,
          title: { fr: 'Déf', en: 'Def' },
          intro: { fr: 'i', en: 'i' },
          blocks: [
            {
              id: 'def.values',
              title: { fr: 'Valeurs', en: 'Values' },
              intent: { fr: 'i', en: 'i' },
              question: { fr: 'q', en: 'q' },
              hints: [{ fr: 'h', en: 'h' }],
              example: { fr: 'e', en: 'e' },
            },
          ],
        },
      ],
      synthesis: [{ id: 'id', title: { fr: 'Id', en: 'Id' }, placement: 'header', blocks: ['def.values'] }],
      ostrom: [{ id: 'o', title: { fr: 'O', en: 'O' }, blocks: ['def.values'] }],
    };
    const mini = compileCanvas(sampleCampaign('en'), tiny, SAMPLE_NOW);
    expect(mini.progress).toMatchObject({ answered: 1, total: 1 });
    expect(mini.totalAnswers).toBe(2);
    expect(mini.contributors.map((c) => c.id)).toEqual(['U0BEN', 'U0ADA']);
    expect(mini.synthesis[0]?.count).toBe(2);
    expect(mini.ostrom[0]?.hasAnswers).toBe(true);
  });
});
