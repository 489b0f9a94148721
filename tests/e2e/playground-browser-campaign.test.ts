import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../adapters/runtime.js';
import { launchChromium } from '../helpers/browser.js';
import { freshRedis } from '../helpers/redis.js';
import { startTestRuntime } from '../helpers/runtime.js';

/** A person in Chromium runs a campaign in the playground, on the real engine, store and workers. */
const DB = 4;
let runtime: Runtime;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  (await freshRedis(DB)).disconnect();
  runtime = await startTestRuntime(DB);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

async function typeCommand(text: string): Promise<void> {
  await page.fill('#command-input', text);
  await page.press('#command-input', 'Enter');
}

describe('the playground in a browser, end to end', () => {
  it('starts a campaign, answers as a member, and sees the progress', async () => {
    await page.goto(`http://127.0.0.1:${runtime.port}/`);
    await page.waitForSelector('body[data-live="true"][data-loaded="true"]');

    await typeCommand('/canevas start lang:en format:drip');
    const question = page.locator('.post--question').first();
    await question.waitFor();
    expect(await question.locator('h3.post-title').textContent()).toContain('The shared resource');
    expect(await page.locator('.post').first().textContent()).toContain('inno³');

    await page.selectOption('#user-select', 'ben');
    await question.getByLabel('Answer as Ben').fill('Our map data, in OpenStreetMap.');
    await question.getByRole('button', { name: 'Send' }).click();
    await question.locator('.reply').first().waitFor();
    expect(await question.locator('.reply .text').textContent()).toBe('Our map data, in OpenStreetMap.');

    await typeCommand('/canevas next');
    // Only ben sees the refusal; nothing moved on.
    await page.locator('.ephemeral-item', { hasText: /admin/i }).waitFor();
    expect(await page.locator('.post--question').count()).toBe(1);

    await page.selectOption('#user-select', 'ada');
    await typeCommand('/canevas status');
    await page.locator('.ephemeral-item', { hasText: '1 of 29 questions answered' }).waitFor();

    const channel = { platform: 'playground' as const, workspace: 'local', channel: 'general' };
    const id = await runtime.store.activeId(channel);
    const campaign = await runtime.store.get(id ?? '');
    expect(Object.values(campaign?.answers ?? {}).map((a) => a.text)).toEqual([
      'Our map data, in OpenStreetMap.',
    ]);
  });

  it('answers through the Answer button and its dialog, and sees the answer echoed', async () => {
    await page.selectOption('#user-select', 'chloe');
    const question = page.locator('.post--question').first();
    const answerButton = question.locator('.post-buttons').getByRole('button', { name: 'Answer' });
    await answerButton.click();
    const dialog = page.getByRole('dialog', { name: 'The shared resource' });
    await dialog.waitFor();
    const field = dialog.getByLabel('Your answer');
    expect(await field.evaluate((node) => node === document.activeElement)).toBe(true);
    expect(await field.getAttribute('required')).not.toBeNull();
    expect(await dialog.locator('.field label .required-mark').textContent()).toBe('*');
    // Escape closes it and gives the focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await answerButton.evaluate((node) => node === document.activeElement)).toBe(true);

    await answerButton.click();
    await dialog.waitFor();
    await field.fill('   ');
    await dialog.getByRole('button', { name: 'Send' }).click();
    const error = dialog.locator('.field-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/empty/);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
    expect(await field.evaluate((node) => node === document.activeElement)).toBe(true);

    await field.fill('A repair map everyone can edit.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // A confirmation: a toast, not a reply kept above the command box.
    await page.locator('#toasts .toast', { hasText: 'your answer is recorded' }).waitFor();
    const echo = question.locator('.reply', { hasText: 'A repair map everyone can edit.' });
    await echo.waitFor();
    expect(await echo.locator('.author').textContent()).toBe('Canevas');
    expect(await echo.textContent()).toContain('Chloé');
    // The thread's own answer box still works beside the button.
    await question.getByLabel('Answer as Chloé').fill('And a second thought, in the thread.');
    await question.getByRole('button', { name: 'Send' }).click();
    await question.locator('.reply', { hasText: 'And a second thought, in the thread.' }).waitFor();
    await page.selectOption('#user-select', 'ada');
  });

  it('shows the canvas sheet with the summary, and opens it full size', async () => {
    await typeCommand('/canevas summary');
    const picture = page.locator('.post--summary .file img');
    await picture.waitFor();
    expect(await picture.getAttribute('alt')).toMatch(/canvas/i);
    // Loaded lazily from the download route once scrolled to, and drawn no wider than the channel.
    await picture.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.post--summary .file img');
      return img?.complete === true && img.naturalWidth > 0;
    });
    const shown = await picture.boundingBox();
    const post = await page.locator('.post--summary').boundingBox();
    expect(shown?.width).toBeGreaterThan(100);
    expect(shown?.width ?? 0).toBeLessThanOrEqual(post?.width ?? 0);
    expect(await page.locator('.post--summary .file a[download]').getAttribute('download')).toMatch(/\.png$/);

    await page.getByRole('button', { name: /full size/ }).click();
    const full = page.locator('dialog[open] img');
    await full.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('dialog[open] img');
      return img?.complete === true && img.naturalWidth > 0;
    });
    const natural = await full.evaluate((img: HTMLImageElement) => img.naturalWidth);
    expect((await full.boundingBox())?.width).toBe(natural);
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
  });
});
