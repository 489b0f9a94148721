import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { SUBCOMMANDS } from '../../src/facilitation/parse-command.js';
import { LANGS, type Lang } from '../../src/facilitation/types.js';
import {
  composeDigest,
  composeEcho,
  composeExportPost,
  composeHelp,
  composeIntro,
  composeNotice,
  composeNudge,
  composeProgress,
  composeQuestion,
  composeReply,
  composeStatus,
  composeSummary,
} from '../../src/render/compose.js';
import { composeHome, composeWelcome } from '../../src/render/compose-onboarding.js';
import { markdownFormat } from '../../src/render/markdown-format.js';
import { ALL_PROMPT_KEYS, ERROR_KEYS, NOTICE_KEYS, REPLY_KEYS } from '../../src/render/message-keys.js';
import { PROMPT_VARS } from '../../src/render/prompt-vars.js';
import { createRenderer, defaultPromptsDir, type Renderer } from '../../src/render/renderer.js';
import { namesIn } from '../../src/render/strict-view.js';
import { SAMPLE_NEXT_RUN, SAMPLE_SINCE, sampleCampaign, sampleContext } from '../fixtures/sample-campaign.js';

let template: CanvasTemplate;
let renderer: Renderer;

beforeAll(async () => {
  template = await loadDefaultTemplate();
  renderer = createRenderer();
});

const filesOf = (lang: Lang) =>
  readdirSync(join(defaultPromptsDir(), lang))
    .filter((f) => f.endsWith('.mustache'))
    .map((f) => f.replace(/\.mustache$/, ''))
    .sort();

describe('prompt files', () => {
  it('have exactly one file per prompt key, in both languages', () => {
    const keys = [...ALL_PROMPT_KEYS].sort();
    for (const lang of LANGS) expect(filesOf(lang)).toEqual(keys);
  });

  it('use the same variable names in French and English', () => {
    for (const key of ALL_PROMPT_KEYS) {
      expect({ key, names: namesIn(renderer.source('en', key)) }).toEqual({
        key,
        names: namesIn(renderer.source('fr', key)),
      });
    }
  });

  it('are not empty and credit the canvas in the intro', () => {
    for (const lang of LANGS) {
      for (const key of ALL_PROMPT_KEYS) expect(renderer.source(lang, key).trim().length).toBeGreaterThan(10);
      expect(renderer.source(lang, 'intro')).toContain('{{credit}}');
    }
  });
});

describe('every compose function renders every prompt', () => {
  for (const lang of LANGS) {
    it(`posts in ${lang}`, () => {
      const ctx = sampleContext(lang, template, renderer);
      const campaign = ctx.campaign;
      const texts = [
        composeIntro(ctx).text,
        ...campaign.questions.map((q) => composeQuestion(ctx, q.blockId).text),
        composeNudge(ctx, 'def.community').text,

        composeProgress(ctx).text,
        composeSummary(ctx, false).text,
        composeSummary(ctx, true).text,
        composeDigest(ctx, SAMPLE_SINCE, SAMPLE_NEXT_RUN).text,
        composeDigest(ctx, SAMPLE_NEXT_RUN).text,
        composeStatus(ctx, SAMPLE_NEXT_RUN),
        composeStatus(ctx),
        composeEcho(ctx, campaign.answers.m3 as NonNullable<(typeof campaign.answers)['m3']>).text,
        composeExportPost(ctx, {
          name: 'GOVERNANCE-CANVAS.md',
          contentType: 'text/markdown',
          data: Buffer.alloc(0),
        }).text,
        composeExportPost(
          ctx,
          { name: 'c.csv', contentType: 'text/csv', data: Buffer.alloc(0) },
          'http://h/f.csv',
        ).text,
        composeHelp(lang, markdownFormat, renderer),
        composeWelcome(lang, markdownFormat, renderer),
        composeWelcome(lang, markdownFormat, renderer, '/invite @Canevas'),
        composeHome(lang, markdownFormat, renderer, []),
        composeHome(lang, markdownFormat, renderer, [
          { title: 'Velocarte', where: '#general', status: 'paused', canvasUrl: 'https://h/canvas/c?key=k' },
        ]),
      ];
      for (const text of texts) {
        expect(text.length).toBeGreaterThan(10);
        expect(text).not.toContain('{{');
        expect(text).not.toContain('&#x2F;');
      }
    });

    it(`notices in ${lang}, with and without the machine's vars`, () => {
      const ctx = sampleContext(lang, template, renderer);
      for (const key of NOTICE_KEYS) {
        expect(composeNotice(ctx, key, {}).text.length).toBeGreaterThan(10);
        expect(composeNotice(ctx, key, { blockId: 'def.values', cadence: 'weekly', tz: 'UTC' }).kind).toBe(
          'notice',
        );
      }
      const skipped = composeNotice(ctx, 'notice-skipped', { blockId: 'def.values' }).text;
      expect(skipped).toContain(lang === 'fr' ? 'Valeurs' : 'Values');
    });

    it(`replies and errors in ${lang}, with and without vars`, () => {
      for (const key of [...REPLY_KEYS, ...ERROR_KEYS]) {
        expect(composeReply(lang, key, {}, markdownFormat, renderer).length).toBeGreaterThan(10);
        const vars = { ...PROMPT_VARS[key] };
        for (const name of Object.keys(vars)) vars[name] = `<${name}>`;
        const text = composeReply(lang, key, vars, markdownFormat, renderer);
        for (const name of Object.keys(vars)) {
          // Words made from other vars (the cadence, quiet days, holidays, reminders, a block) replace what was passed.
          if (
            !['cadenceWords', 'quietWords', 'holidayWords', 'reminderOff', 'blockId', 'workshop'].includes(
              name,
            )
          )
            expect({ key, text }).toMatchObject({ text: expect.stringContaining(`\\<${name}\\>`) });
        }
      }
    });
  }

  it('errors say what to do', () => {
    const tz = composeReply(
      'fr',
      'error-invalid-timezone',
      { value: 'Mars/Olympus' },
      markdownFormat,
      renderer,
    );
    expect(tz).toContain('Mars/Olympus');
    expect(tz).toContain('tz:Europe/Paris');
    const bad = composeReply(
      'en',
      'error-bad-template',
      { file: 'my.yaml', path: 'fiches[0].blocks', problem: 'must not be empty' },
      markdownFormat,
      renderer,
    );
    expect(bad).toContain('my.yaml');
    expect(bad).toContain('fiches\\[0\\].blocks');
    expect(bad).toContain('must not be empty');
    const long = composeReply(
      'en',
      'error-answer-too-long',
      { max: 8000, length: 9001 },
      markdownFormat,
      renderer,
    );
    expect(long).toContain('8000');
    expect(long).toContain('9001');
  });

  it('the schedule reply gives the cadence in words', () => {
    const text = composeReply(
      'en',
      'reply-schedule',
      { cadence: 'weekly', tz: 'UTC' },
      markdownFormat,
      renderer,
    );
    expect(text).toContain('every week');
  });

  it('question parts are escaped for adapters that lay them out', () => {
    const ctx = sampleContext('en', template, renderer);
    const post = composeQuestion(ctx, 'def.values');
    expect(post.kind).toBe('question');
    expect(post.question).toMatchObject({
      blockId: 'def.values',
      position: 3,
      total: 29,
      blockTitle: 'Values',
    });
    expect(post.question?.hints.length).toBeGreaterThan(0);
  });

  it('the help lists every subcommand', () => {
    for (const lang of LANGS) {
      const help = composeHelp(lang, markdownFormat, renderer);
      for (const sub of SUBCOMMANDS) {
        expect(help).toContain(`/canevas ${sub}`);
      }
    }
  });

  it('a campaign with no answer at all still renders', () => {
    const empty = { ...sampleCampaign('fr'), answers: {} };
    const ctx = sampleContext('fr', template, renderer, empty);
    expect(composeSummary(ctx, true).text).toContain('à compléter');
    expect(composeDigest(ctx, SAMPLE_SINCE).text).toContain('Pas de nouvelle réponse');
  });
});
