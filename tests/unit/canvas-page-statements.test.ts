import { beforeAll, describe, expect, it } from 'vitest';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { transition } from '../../src/facilitation/machine.js';
import type { Campaign } from '../../src/facilitation/types.js';
import { composeSummary } from '../../src/render/compose.js';
import { createRenderer } from '../../src/render/renderer.js';
import { renderCanvasSvg } from '../../src/render/sheet/canvas-svg.js';
import { renderCanvasPage } from '../../src/web/canvas-page-html.js';
import { governanceSample, SAMPLE_NOW, sampleContext } from '../fixtures/sample-campaign.js';

let template: CanvasTemplate;
beforeAll(async () => {
  template = await loadDefaultTemplate();
});

/** The block's article in the page's fiche sections (the synthesis shows the block too). */
function articleOf(page: string, blockId: string): string {
  const at = page.lastIndexOf(`data-block="${blockId}" data-gap`);
  return page.slice(at, page.indexOf('</article>', at));
}

describe('the canvas page from « je » to « nous »', () => {
  it('puts each block’s shared statement before its answers, with where it stands', () => {
    const canvas = compileCanvas(
      governanceSample('en'),
      template,
      SAMPLE_NOW,
      (r) => `https://chat.example.org/m/${r.messageRef}`,
    );
    const page = renderCanvasPage(canvas);
    const block = articleOf(page, 'def.resource');
    const statement = block.indexOf('Shared statement, agreed by consent · version 2');
    expect(statement).toBeGreaterThan(0);
    expect(statement).toBeLessThan(block.indexOf('class="answers"'));
    expect(block).toContain('We share the repair-point data (ODbL, in OpenStreetMap)');
    // Most supported first, its support beside it, and a link back to the message.
    expect(block.indexOf('data-answer="m1"')).toBeLessThan(block.indexOf('data-answer="m2"'));
    expect(block).toContain('👍 2</span>');
    expect(block).toContain('<a href="https://chat.example.org/m/m1">see the message</a>');
    const values = articleOf(page, 'def.values');
    expect(values).toContain('data-statement="objected"');
    expect(values).toContain('<strong>Ben_42</strong>: A partner workshop might want to be featured');
  });
});

describe('the A3 sheet from « je » to « nous »', () => {
  it('quotes a block’s agreed statement before its answers, and only an agreed one', () => {
    const svg = renderCanvasSvg(compileCanvas(governanceSample('fr'), template, SAMPLE_NOW));
    const cellOf = (id: string) => {
      const at = svg.indexOf(`data-block="${id}"`);
      return svg.slice(at, svg.indexOf('</g>', at));
    };
    const resource = cellOf('def.resource');
    expect(resource).toContain('✓ Adopté');
    expect(resource.indexOf('✓ Adopté')).toBeLessThan(resource.indexOf('Ada'));
    // Values' statement is objected: the sheet shows its answers only.
    expect(cellOf('def.values')).not.toContain('✓ Adopté');
  });
});

describe('Ostrom’s principles, assessed together', () => {
  it('shows how members rated each principle, and a mostly “not yet” one as an open question', () => {
    const page = renderCanvasPage(compileCanvas(governanceSample('en'), template, SAMPLE_NOW));
    const item = (id: string) => {
      const at = page.indexOf(`data-principle="${id}"`);
      return page.slice(at, page.indexOf('</li></ul></li>', at));
    };
    expect(item('boundaries')).toContain('<li data-rating="partly">Partly: 2</li>');
    expect(item('boundaries')).not.toContain('open-question');
    expect(item('monitoring')).toContain('<li data-rating="not-yet">Not yet: 2</li>');
    expect(item('monitoring')).toContain('an open question for the community');
    // Nobody rated this one: no spread is drawn.
    expect(item('nested')).not.toContain('data-rating');
  });
});

describe('the summary in the channel from « je » to « nous »', () => {
  it('quotes a block’s agreed statement before its answers, and each answer’s support beside it', () => {
    const ctx = {
      ...sampleContext('en', template, createRenderer(), governanceSample('en')),
      now: SAMPLE_NOW,
    };
    const text = composeSummary(ctx, false).text;
    const resource = text.slice(text.indexOf('**The shared resource**'));
    expect(resource).toMatch(
      /^\*\*The shared resource\*\*\n {4}✓ \*\*Agreed\*\*: We share the repair-point data/,
    );
    expect(resource).toContain('(👍 2)');
  });
});

describe('actions agreed by consent', () => {
  it('are agreed when their block’s shared version, agreed by consent, names them', () => {
    // Without its own consent round, so that only its block's statement can agree it.
    let c: Campaign = { ...governanceSample('en'), actionConsents: {} };
    const at = new Date('2026-12-13T12:00:00Z');
    const apply = (event: Parameters<typeof transition>[1]) => {
      const r = transition(c, event, at);
      if (!r.ok) throw new Error(r.error);
      c = r.campaign;
    };
    expect(compileCanvas(c, template, SAMPLE_NOW).actions[0]?.status).toBe('supported');
    const admin = { id: 'U0ADA', name: 'Ada', isAdmin: true };
    apply({
      type: 'statement',
      actor: admin,
      blockId: 'prj.act_gov',
      text: 'A1. Write down who decides what in GOVERNANCE.md (Ben, January).',
    });
    for (const person of [
      { id: 'U0BEN', name: 'Ben_42' },
      { id: 'U0CHLOE', name: 'Chloé' },
    ])
      apply({ type: 'stance', person, blockId: 'prj.act_gov', version: 1, stance: 'consent' });
    expect(compileCanvas(c, template, SAMPLE_NOW).actions[0]?.status).toBe('agreed');
  });
});
