import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import type { Campaign } from '../../src/facilitation/types.js';
import { createLogger } from '../../src/logger.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { canvasPageRoute } from '../../src/web/canvas-page.js';
import { createHttpServer } from '../../src/web/http-server.js';
import { createMetrics } from '../../src/web/metrics.js';
import { SAMPLE_BLOCK_IDS, sampleCampaign } from '../fixtures/sample-campaign.js';
import { launchChromium } from '../helpers/browser.js';
import { freshRedis } from '../helpers/redis.js';

/**
 * The canvas page in Chromium, served from the real store (Redis database 0): every block, the gaps,
 * the edit marks, Ostrom's principles, a phone's width, the keyboard, and printing on one A3 page.
 */
const DB = 0;
const A3_LANDSCAPE_PT = { width: 1190.55, height: 841.89 };
/** A3 landscape less 10 mm margins, in CSS pixels (96 an inch). */
const PRINTABLE_PX = { width: (400 / 25.4) * 96, height: (277 / 25.4) * 96 };

const french: Campaign = sampleCampaign('fr');
const english: Campaign = {
  ...sampleCampaign('en'),
  id: 'playground-local-english-sample',
  channel: { platform: 'playground', workspace: 'local', channel: 'english' },
  name: 'Vélocarte <b>team</b>',
  key: 'en-k3y',
};

let redis: Redis;
let server: Server;
let base: string;
let browser: Browser;
let template: CanvasTemplate;

const pageUrl = (c: Campaign, key = c.key) => `${base}/canvas/${c.id}?key=${encodeURIComponent(key)}`;

async function open(url: string, width = 1280, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  const res = await page.goto(url);
  expect(res?.status()).toBe(200);
  return page;
}

beforeAll(async () => {
  redis = await freshRedis(DB);
  template = await loadDefaultTemplate();
  const store = createRedisStore(redis);
  await store.create(french);
  await store.create(english);
  const handlers = [canvasPageRoute({ store, templateOf: async () => template })];
  server = createHttpServer({ redis, metrics: createMetrics(), logger: createLogger('silent'), handlers });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  redis?.disconnect();
});

describe('the canvas page in Chromium', () => {
  it('shows every block of the template in order, gaps marked in words, edits marked', async () => {
    const page = await open(pageUrl(french));
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('h2', { hasText: 'Fiche 1' }).count()).toBe(1);

    const blocks = page.locator('.fiche article[data-block]');
    expect(await blocks.evaluateAll((els) => els.map((e) => e.getAttribute('data-block')))).toEqual(
      SAMPLE_BLOCK_IDS,
    );
    const titles = template.fiches.flatMap((f) => f.blocks.map((b) => b.title.fr));
    expect(titles).toHaveLength(29);
    expect(await blocks.locator('h3').allTextContents()).toEqual(titles);

    // The sample answers def.resource, def.purpose, def.values and def.community; the rest are gaps.
    const gaps = page.locator('.fiche article[data-gap="true"]');
    expect(await gaps.count()).toBe(25);
    for (const text of await gaps.locator('.gap-note').allInnerTexts()) expect(text).toContain('À compléter');
    expect(await page.locator('#block-def-stakeholders').textContent()).toContain(
      'À compléter\u00A0: pas encore de réponse',
    );
    expect(await page.locator('#block-def-resource').textContent()).not.toContain('À compléter');

    const edited = page.locator('[data-answer="m2"]');
    expect(await edited.locator('.edited').textContent()).toBe('modifiée');
    expect(await page.locator('[data-answer="m1"] .edited').count()).toBe(0);
    expect(await page.locator('#block-def-resource .answer').count()).toBe(2);
    // Removed answers are gone; hostile text is shown as text.
    expect(await page.locator('[data-answer="m4"]').count()).toBe(0);
    expect(await page.locator('[data-answer="m5"] blockquote').textContent()).toContain('<@U123>');

    const overall = page.locator('progress#progress-all');
    expect(await overall.getAttribute('value')).toBe('4');
    expect(await overall.getAttribute('max')).toBe('29');
    expect(
      await page
        .getByLabel(/Progression/)
        .first()
        .getAttribute('id'),
    ).toBe('progress-all');
    expect(await page.locator('label[for="progress-all"]').textContent()).toContain('4 blocs sur 29');
    expect(await page.locator('#fiche-1 progress').getAttribute('value')).toBe('4');

    // Synthesis first, identity band first within it, with excerpts and their authors.
    const sections = await page.locator('main > section').evaluateAll((els) => els.map((e) => e.id));
    expect(sections.slice(0, 4)).toEqual(['synthesis', 'fiche-1', 'fiche-2', 'fiche-3']);
    const areas = await page
      .locator('.area')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-area')));
    expect(areas).toHaveLength(7);
    expect(areas[0]).toBe(template.synthesis.find((a) => a.placement === 'header')?.id);
    expect(areas[6]).toBe(template.synthesis.find((a) => a.placement === 'footer')?.id);
    expect(await page.locator('.area').first().textContent()).toContain('par Chloé');
    await page.close();
  });

  it('reads the answers against Ostrom’s eight principles', async () => {
    const page = await open(pageUrl(french));
    const principles = page.locator('#ostrom [data-principle]');
    expect(await principles.count()).toBe(8);
    expect(await principles.locator('h3').allTextContents()).toEqual(template.ostrom.map((p) => p.title.fr));
    // Fiche 2 has not been reached: every principle is still a gap, said in words.
    expect(await page.locator('#ostrom [data-gap="true"]').count()).toBe(8);
    expect(await principles.first().textContent()).toContain('Non abordé\u00A0: à compléter');
    await page.close();
  });

  it('fits a 375 px phone and starts keyboard navigation at the skip link', async () => {
    const page = await open(pageUrl(french), 375);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.client).toBe(375);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);

    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => ({
      cls: document.activeElement?.className,
      href: document.activeElement?.getAttribute('href'),
      visible: (document.activeElement?.getBoundingClientRect().top ?? -1) >= 0,
    }));
    expect(skip).toEqual({ cls: 'skip', href: '#main', visible: true });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('A');
    await page.close();
  });

  it('prints only the sheet, on exactly one A3 landscape page', async () => {
    // The viewport is the printable area, so the sheet must sit inside it.
    const page = await open(pageUrl(french), Math.ceil(PRINTABLE_PX.width), Math.ceil(PRINTABLE_PX.height));
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#fiche-1').isVisible()).toBe(false);
    expect(await page.locator('.areas').isVisible()).toBe(false);
    expect(await page.locator('h1').isVisible()).toBe(false);
    const sheet = await page.locator('.sheet svg').boundingBox();
    expect(sheet).not.toBeNull();
    const { x, y, width, height } = sheet ?? { x: -1, y: -1, width: 0, height: 0 };
    expect(x).toBeGreaterThanOrEqual(0);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(x + width).toBeLessThanOrEqual(PRINTABLE_PX.width);
    expect(y + height).toBeLessThanOrEqual(PRINTABLE_PX.height);
    // It fills the page, not a corner of it.
    expect(width).toBeGreaterThan(PRINTABLE_PX.width * 0.9);
    // Back to the default, so page.pdf() applies print media itself.
    await page.emulateMedia({ media: null });

    const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
    const pages = pdf.match(/\/Type\s*\/Page(?!s)\b/g) ?? [];
    expect(pages).toHaveLength(1);
    const box = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf);
    expect(box).not.toBeNull();
    const [x0, y0, x1, y1] = (box ?? []).slice(1).map(Number) as [number, number, number, number];
    expect(Math.abs(x1 - x0 - A3_LANDSCAPE_PT.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(y1 - y0 - A3_LANDSCAPE_PT.height)).toBeLessThanOrEqual(2);
    await page.close();
  });

  it('links to the sheet downloads and refuses a wrong key', async () => {
    const page = await open(pageUrl(french));
    const png = page.getByRole('link', { name: 'Télécharger la feuille (PNG)' });
    const [download] = await Promise.all([page.waitForEvent('download'), png.click()]);
    expect(download.suggestedFilename()).toMatch(/^canevas.*\.png$/);
    await page.close();

    const denied = await browser.newPage();
    expect((await denied.goto(pageUrl(french, 'wrong')))?.status()).toBe(404);
    expect((await denied.goto(`${base}/canvas/${french.id}`))?.status()).toBe(404);
    await denied.close();
  });

  it('follows the campaign language: English words and lang="en"', async () => {
    const page = await open(pageUrl(english));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Vélocarte <b>team</b>');
    expect(await page.locator('#block-def-stakeholders').textContent()).toContain('Not answered yet');
    expect(await page.locator('[data-answer="m2"] .edited').textContent()).toBe('edited');
    expect(await page.locator('#ostrom h2').textContent()).toBe('Ostrom’s eight principles');
    expect(await page.locator('.skip').textContent()).toBe('Skip to content');
    expect(await page.locator('label[for="progress-all"]').textContent()).toContain(
      '4 of 29 blocks answered',
    );
    expect(await page.locator('.fiche article[data-block] h3').allTextContents()).toEqual(
      template.fiches.flatMap((f) => f.blocks.map((b) => b.title.en)),
    );
    await page.close();
  });
});
