import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  blockOrder,
  defaultTemplatePath,
  findBlock,
  hashTemplate,
  loadDefaultTemplate,
} from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';

// The spec: CANVAS.md's blocks, in its order, with its French / English titles as the language pass
// (FACILITATION.md §3) renamed them: no « Synthèse » block, « Actions – … » without a colon, FR/EN aligned.
const canvasBlocks: [id: string, fr: string, en: string][] = [
  ['def.resource', 'La ressource partagée', 'The shared resource'],
  ['def.purpose', 'Raison d’être', 'Purpose'],
  ['def.values', 'Valeurs', 'Values'],
  ['def.stakeholders', 'Parties prenantes', 'Stakeholders'],
  ['def.community', 'Communauté', 'Community'],
  ['def.legal', 'Cadre juridique', 'Legal frame'],
  ['def.maturity', 'État des lieux', 'State of play'],
  ['def.literacy', 'Acculturation aux communs', 'Commons literacy'],
  ['def.identity', 'Notre identité en une phrase', 'Identity in one sentence'],
  ['fct.circles', 'Cercles', 'Circles'],
  ['fct.contributions', 'Types de contribution', 'Kinds of contribution'],
  ['fct.contrib_rules', 'Règles de contribution', 'Contribution rules'],
  ['fct.decision', 'Prise de décision', 'Decision-making'],
  ['fct.roles', 'Rôles et mandats', 'Roles and mandates'],
  ['fct.conflicts', 'Désaccords', 'Disagreements'],
  ['fct.transparency', 'Transparence', 'Transparency'],
  ['fct.means', 'Moyens et financement', 'Means and funding'],
  ['fct.structure', 'Structure porteuse', 'Host structure'],
  ['fct.rule_change', 'Faire évoluer les règles', 'Changing the rules'],
  ['prj.horizons', 'Horizons', 'Horizons'],
  ['prj.strengths', 'Forces', 'Strengths'],
  ['prj.improve', 'Axes d’amélioration', 'Areas to improve'],
  ['prj.risks', 'Risques et dépendances', 'Risks and dependencies'],
  ['prj.act_gov', 'Actions – gouvernance', 'Actions – governance'],
  ['prj.act_comm', 'Actions – communauté', 'Actions – community'],
  ['prj.act_econ', 'Actions – modèle économique', 'Actions – economic model'],
  ['prj.act_legal_tech', 'Actions – juridique et technique', 'Actions – legal and technical'],
  ['prj.indicators', 'Indicateurs', 'Indicators'],
  ['prj.next_step', 'Prochaine étape', 'Next step'],
];

// CANVAS.md's synthesis table.
const canvasSynthesis = [
  {
    id: 'identity',
    placement: 'header',
    fr: 'Identité',
    en: 'Identity',
    blocks: ['def.identity', 'def.purpose', 'def.values', 'def.resource'],
  },
  {
    id: 'rules',
    placement: 'body',
    fr: 'Règles de gouvernance',
    en: 'Governance rules',
    blocks: ['fct.decision', 'fct.contrib_rules', 'fct.conflicts', 'fct.rule_change', 'def.legal'],
  },
  {
    id: 'structure',
    placement: 'body',
    fr: 'Structure',
    en: 'Structure',
    blocks: ['fct.structure', 'fct.means', 'fct.roles'],
  },
  {
    id: 'community_map',
    placement: 'body',
    fr: 'Carte de la communauté',
    en: 'Community map',
    blocks: ['fct.circles', 'fct.contributions', 'def.stakeholders', 'def.community'],
  },
  {
    id: 'actions',
    placement: 'body',
    fr: 'Actions',
    en: 'Actions',
    blocks: ['prj.act_gov', 'prj.act_comm', 'prj.act_econ', 'prj.act_legal_tech', 'prj.next_step'],
  },
  { id: 'indicators', placement: 'body', fr: 'Indicateurs', en: 'Indicators', blocks: ['prj.indicators'] },
  {
    id: 'outlook',
    placement: 'footer',
    fr: 'Cap',
    en: 'Outlook',
    blocks: ['prj.horizons', 'prj.strengths', 'prj.improve', 'prj.risks'],
  },
];

// CANVAS.md's Ostrom mapping.
const canvasOstrom: Record<string, string[]> = {
  boundaries: ['fct.circles'],
  congruence: ['fct.contrib_rules'],
  collective_choice: ['fct.rule_change'],
  monitoring: ['fct.transparency'],
  graduated_sanctions: ['fct.conflicts'],
  conflict_resolution: ['fct.conflicts'],
  recognition: ['fct.structure'],
  nested: ['fct.roles', 'fct.circles'],
};

let template: CanvasTemplate;
beforeAll(async () => {
  template = await loadDefaultTemplate();
});

const allBlocks = () => template.fiches.flatMap((fiche) => fiche.blocks);

describe('the default template (prompts/canvas.yaml)', () => {
  it('lives at prompts/canvas.yaml under the package root', () => {
    expect(defaultTemplatePath()).toMatch(/prompts[/\\]canvas\.yaml$/);
    expect(existsSync(defaultTemplatePath())).toBe(true);
  });

  it('has the three fiches of the canvas, numbered and titled', () => {
    expect(template.version).toBe(1);
    expect(template.fiches.map((f) => [f.id, f.number, f.title.fr, f.title.en])).toEqual([
      ['definition', 1, 'Définition', 'Definition'],
      ['operation', 2, 'Fonctionnement', 'Operation'],
      ['projection', 3, 'Projection', 'Projection'],
    ]);
  });

  it("has exactly CANVAS.md's 29 block ids, in its order, in the right fiches", () => {
    expect(blockOrder(template)).toEqual(canvasBlocks.map(([id]) => id));
    const prefixOf = { definition: 'def.', operation: 'fct.', projection: 'prj.' } as Record<string, string>;
    for (const fiche of template.fiches) {
      for (const block of fiche.blocks) expect(block.id.startsWith(prefixOf[fiche.id] ?? '?')).toBe(true);
    }
  });

  it('titles every block exactly as CANVAS.md does, in French and English', () => {
    expect(allBlocks().map((b) => [b.id, b.title.fr, b.title.en])).toEqual(canvasBlocks);
  });

  it('gives every block an intent, a question, 1-2 hints and an example in both languages', () => {
    for (const block of allBlocks()) {
      for (const text of [block.intent, block.question, block.example, ...block.hints]) {
        expect(text.fr.trim().length, `${block.id} fr`).toBeGreaterThan(0);
        expect(text.en.trim().length, `${block.id} en`).toBeGreaterThan(0);
        expect(text.fr, `${block.id}: French and English must differ`).not.toEqual(text.en);
      }
      expect(block.hints.length, block.id).toBeGreaterThanOrEqual(1);
      expect(block.hints.length, block.id).toBeLessThanOrEqual(2);
      expect(block.question.fr, block.id).toMatch(/\?/);
      // The question is printed into the exports: where to answer is the question post's job.
      expect(block.question.fr, block.id).not.toMatch(/dans ce fil|dans le fil|ici\./);
      expect(block.question.en, block.id).not.toMatch(/this thread|in the thread|here\./);
      expect(block.question.en, block.id).toMatch(/\?/);
    }
  });

  it('follows one running example community through the examples, said to be fictional', () => {
    expect(template.example.name).toBe('Vélocarte');
    expect(template.example.description.fr).toContain('fictif');
    expect(template.example.description.en).toContain('fictional');
    const examples = allBlocks().flatMap((b) => [b.example.fr, b.example.en]);
    // A real-looking domain may belong to someone: the example lives under example.org.
    expect(examples.join(' ')).not.toMatch(/velocarte\.org/);
    const mentions = allBlocks().filter((b) => /Vélocarte|Camille|Sami|Roue Libre/.test(b.example.fr));
    expect(mentions.length).toBeGreaterThanOrEqual(8);
  });

  it('credits inno³, ANCT and CC BY-SA, says the questions are adapted and Canevas is independent', () => {
    for (const text of [template.credit.fr, template.credit.en]) {
      expect(text).toMatch(/adaptées|adapted/);
      expect(text).toContain('inno³');
      expect(text).toContain('ANCT');
      expect(text).toContain('CC BY-SA');
      expect(text).toMatch(/indépendant|independent/);
    }
  });

  it("maps the synthesis canvas exactly as CANVAS.md's table", () => {
    expect(
      template.synthesis.map((a) => ({
        id: a.id,
        placement: a.placement,
        fr: a.title.fr,
        en: a.title.en,
        blocks: a.blocks,
      })),
    ).toEqual(canvasSynthesis);
  });

  it("maps Ostrom's eight principles to blocks as CANVAS.md says", () => {
    expect(Object.fromEntries(template.ostrom.map((p) => [p.id, p.blocks]))).toEqual(canvasOstrom);
    for (const principle of template.ostrom) {
      expect(principle.title.fr.length).toBeGreaterThan(0);
      expect(principle.title.en.length).toBeGreaterThan(0);
    }
  });

  it('finds a block with its fiche and position', () => {
    const found = findBlock(template, 'fct.contrib_rules');
    expect(found?.fiche.id).toBe('operation');
    expect(found?.index).toBe(2);
    expect(found?.block.title).toEqual({ fr: 'Règles de contribution', en: 'Contribution rules' });
    expect(findBlock(template, 'prj.next_step')?.index).toBe(9);
    expect(findBlock(template, 'def.nothing')).toBeUndefined();
  });

  it('has a stable 16-hex-digit id', async () => {
    const again = await loadDefaultTemplate();
    expect(hashTemplate(template)).toMatch(/^[0-9a-f]{16}$/);
    expect(hashTemplate(again)).toBe(hashTemplate(template));
  });
});
