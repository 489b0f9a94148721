import { beforeAll, describe, expect, it } from 'vitest';
import { compileCanvas } from '../../src/canvas/compile.js';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { transition } from '../../src/facilitation/machine.js';
import { type Campaign, LANGS, type Lang } from '../../src/facilitation/types.js';
import {
  composeDigest,
  composeEcho,
  composeNudge,
  composeProgress,
  composeRound,
  composeStatus,
  composeSummary,
} from '../../src/render/compose.js';
import { composeActionConsent, composeConsent, composeStance } from '../../src/render/compose-consent.js';
import { exportCsv } from '../../src/render/export-csv.js';
import { exportJson } from '../../src/render/export-json.js';
import { exportMarkdown } from '../../src/render/export-markdown.js';
import { createRenderer, type Renderer } from '../../src/render/renderer.js';
import { renderCanvasSvg } from '../../src/render/sheet/canvas-svg.js';
import { renderCanvasPage } from '../../src/web/canvas-page.js';
import { ada, T0 } from '../fixtures/campaigns.js';
import {
  governanceSample,
  SAMPLE_NEXT_RUN,
  SAMPLE_NOW,
  SAMPLE_SINCE,
  sampleContext,
} from '../fixtures/sample-campaign.js';

/**
 * `start anonymous:on`: every output of a campaign (channel posts, canvas page, A3 sheet, exports)
 * shows answers, stances and actions without a name, an id or a link to a member's message. The same
 * outputs of the same campaign, not anonymous, show them: so the check can fail.
 */
let template: CanvasTemplate;
let renderer: Renderer;

beforeAll(async () => {
  template = await loadDefaultTemplate();
  renderer = createRenderer();
});

/** The members of the sample campaign: Ada also writes the shared statements, as an admin. */
const MEMBERS = { names: ['Ben_42', 'Chloé'], ids: ['U0ADA', 'U0BEN', 'U0CHLOE'] };
const ANSWER_IDS = ['m1', 'm2', 'm3', 'm5', 'm6', 'm7', 'm8'];

/** Every output, by name, of the campaign as it stands at the sample's time. */
function outputs(campaign: Campaign, lang: Lang): Record<string, string> {
  const ctx = sampleContext(lang, template, renderer, campaign);
  const canvas = compileCanvas(
    campaign,
    template,
    SAMPLE_NOW,
    (ref) => `https://chat.example/${ref.messageRef}`,
  );
  const echoed = campaign.answers.m3;
  if (!echoed) throw new Error('the sample has a form answer m3');
  return {
    summary: composeSummary({ ...ctx, canvas }, true).text,
    digest: composeDigest(ctx, SAMPLE_SINCE, SAMPLE_NEXT_RUN).text,
    progress: composeProgress(ctx).text,
    status: composeStatus(ctx, SAMPLE_NEXT_RUN),
    echo: composeEcho(ctx, echoed).text,
    'action consent post': composeActionConsent(ctx, 'm8').text,
    "an objection's reason": composeStance(ctx, 'def.values', 1, 1).text,
    "a concern's reason": composeStance(ctx, 'def.resource', 2, 1).text,
    'round post': composeRound(ctx, 'def.community').text,
    'consent post': composeConsent(ctx, 'def.values').text,
    markdown: exportMarkdown(canvas, lang).data,
    json: exportJson(canvas).data,
    csv: exportCsv(canvas).data,
    sheet: renderCanvasSvg(canvas),
    page: renderCanvasPage(canvas),
  };
}

const word = (name: string) => new RegExp(`(^|[^\\p{L}])${name}($|[^\\p{L}\\d_])`, 'u');

describe.each(LANGS)('an anonymous campaign, in %s', (lang) => {
  const named = () => governanceSample(lang);
  const anonymous = () => ({ ...governanceSample(lang), anonymous: true });
  // Every output is rendered once per language and kind of campaign, then read by each test.
  const rendered = new Map<boolean, Record<string, string>>();
  const outputsOf = (anon: boolean) => {
    const cached = rendered.get(anon) ?? outputs(anon ? anonymous() : named(), lang);
    rendered.set(anon, cached);
    return cached;
  };

  it('names its members in every output when it is not anonymous (what the next test takes away)', () => {
    const all = Object.values(outputsOf(false)).join('\n');
    for (const name of MEMBERS.names) expect(all).toMatch(word(name));
    expect(outputsOf(false).csv).toContain('U0BEN');
  });

  it.each([
    'summary',
    'digest',
    'progress',
    'status',
    'echo',
    'action consent post',
    "an objection's reason",
    "a concern's reason",
    'round post',
    'consent post',
    'markdown',
    'json',
    'csv',
    'sheet',
    'page',
  ])('shows no member name or id in its %s', (output) => {
    const text = outputsOf(true)[output] ?? '';
    expect(text.length).toBeGreaterThan(0);
    for (const name of MEMBERS.names) expect(text).not.toMatch(word(name));
    for (const id of MEMBERS.ids) expect(text).not.toContain(id);
  });

  it('says « a member » where a name stood, and names the facilitator who wrote a shared version', () => {
    const out = outputsOf(true);
    const member = lang === 'fr' ? 'un·e membre' : 'a member';
    expect(out.echo).toContain(member);
    expect(out["an objection's reason"]).toContain(member);
    expect(out.page).toContain(member);
    // Ada wrote the statements as an admin: a facilitator answers for the text they propose.
    expect(out['consent post']).toMatch(word('Ada'));
    // …but her own answers are « a member »'s, like everyone's.
    expect(out.markdown).not.toMatch(word('Ada'));
  });

  it('exports answers with opaque ids, no author id and no link to a message', () => {
    const campaign = anonymous();
    const canvas = compileCanvas(
      campaign,
      template,
      SAMPLE_NOW,
      (ref) => `https://chat.example/${ref.messageRef}`,
    );
    const json = JSON.parse(exportJson(canvas).data);
    const answers = json.fiches.flatMap((f: { blocks: { answers: unknown[] }[] }) =>
      f.blocks.flatMap((b) => b.answers),
    ) as { id: string; author: { id: string; name: string }; permalink: string | null }[];
    expect(answers.length).toBe(7);
    for (const a of answers) {
      expect(ANSWER_IDS).not.toContain(a.id);
      expect(a.id).toMatch(/^m-[\w-]{12}$/);
      expect(a.author).toEqual({ id: '', name: lang === 'fr' ? 'un·e membre' : 'a member' });
      expect(a.permalink).toBeNull();
    }
    expect(json.campaign.anonymous).toBe(true);
    expect(json.contributors).toEqual([]);
    expect(json.contributorCount).toBe(3);
    expect(json.actions[0]).toMatchObject({ author: { id: '' }, permalink: null });
    expect(json.actions[0].answerId).toMatch(/^m-/);
    // The opaque ids are the same from one export to the next.
    expect(exportJson(compileCanvas(campaign, template, SAMPLE_NOW)).data).toContain(answers[0]?.id);
    const rows = exportCsv(canvas, { raw: true }).data.trim().split('\r\n').slice(1);
    for (const row of rows) expect(row.split(',')[5]).toBe('');
    // Its action still finds its consent (agreed) under its opaque id.
    expect(json.actions[0].status).toBe('agreed');
  });

  it('counts people, not names, in the summary and on the sheet', () => {
    const out = outputsOf(true);
    expect(out.sheet).toContain('data-people="3"');
    expect(out.summary).not.toContain(lang === 'fr' ? 'Merci' : 'Thank you,');
    expect(outputsOf(false).summary).toContain(lang === 'fr' ? 'Merci' : 'Thank you,');
  });
});

describe('an anonymous campaign keeps no names', () => {
  const started = (): Campaign => {
    const result = transition(
      { ...governanceSample('en'), status: 'scheduled', anonymous: true, answers: {}, statements: {} },
      { type: 'start', actor: ada },
      T0,
    );
    if (!result.ok) throw new Error(result.error);
    return result.campaign;
  };

  it('stores answers, stances and ratings with the id only, a shared version with its writer', () => {
    let c = started();
    const open = c.questions.find((q) => q.status === 'open')?.blockId ?? '';
    const apply = (event: Parameters<typeof transition>[1]) => {
      const result = transition(c, event, T0);
      if (!result.ok) throw new Error(result.error);
      c = result.campaign;
    };
    apply({
      type: 'answer-added',
      answer: { id: 'a1', blockId: open, author: { id: 'U1', name: 'Zoé' }, text: 'Ours', source: 'modal' },
    });
    apply({ type: 'statement', actor: ada, blockId: open, text: 'We share it.' });
    apply({
      type: 'stance',
      person: { id: 'U1', name: 'Zoé' },
      blockId: open,
      version: 1,
      stance: 'consent',
    });
    apply({ type: 'ostrom-rating', person: { id: 'U1', name: 'Zoé' }, ratings: { boundaries: 'partly' } });
    expect(c.answers.a1?.author).toEqual({ id: 'U1', name: '' });
    expect(c.statements?.[open]?.versions[0]?.by).toEqual({ id: ada.id, name: ada.name });
    expect(c.statements?.[open]?.versions[0]?.stances[0]?.author).toEqual({ id: 'U1', name: '' });
    expect(c.ostrom?.U1?.person).toEqual({ id: 'U1', name: '' });
    expect(JSON.stringify(c)).not.toContain('Zoé');
  });
});

describe('the nudge of an anonymous campaign', () => {
  it('mentions everyone who asked, answered or not: leaving some out would tell who answered', () => {
    const named = governanceSample('en');
    const ctx = (c: Campaign) => sampleContext('en', template, renderer, c);
    // Chloé answered the open question: only Ben is mentioned when names are shown.
    expect(composeNudge(ctx(named), 'def.community').mentions).toEqual(['U0BEN']);
    expect(composeNudge(ctx({ ...named, anonymous: true }), 'def.community').mentions).toEqual([
      'U0BEN',
      'U0CHLOE',
    ]);
  });
});
