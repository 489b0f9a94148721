import type { Redis } from 'ioredis';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage, nextMessageId } from '../../adapters/playground/channel-store.js';
import { BOT_AUTHOR } from '../../adapters/playground/platform.js';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import type { Runtime } from '../../adapters/runtime.js';
import { launchChromium } from '../helpers/browser.js';
import { playgroundApi } from '../helpers/playground-api.js';
import { freshRedis } from '../helpers/redis.js';
import { activeCampaign, startTestRuntime } from '../helpers/runtime.js';

/**
 * The page's finish, in Chromium on the real runtime: inline code, toasts that stack and fade (on the
 * page's clock, which the test moves), a confirmation before deleting, and times in the campaign's
 * zone whatever the browser's (Tokyo here).
 */
const DB = 47;
/** The page's toast timings (page.js): how long one shows, then how long it takes to fade. */
const TOAST_MS = 5000;
const TOAST_FADE_MS = 300;

let redis: Redis;
let runtime: Runtime;
let browser: Browser;
let page: Page;
const api = playgroundApi(() => `http://127.0.0.1:${runtime.port}`);
const pageErrors: string[] = [];

beforeAll(async () => {
  redis = await freshRedis(DB);
  runtime = await startTestRuntime(DB);
  browser = await launchChromium();
  const context = await browser.newContext({
    timezoneId: 'Asia/Tokyo',
    locale: 'en-GB',
    viewport: { width: 1024, height: 800 },
  });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // The page's timers run only when the test says: a toast fades when the test moves the clock on.
  await page.clock.install({ time: new Date('2026-03-03T09:00:00Z') });
  await page.goto(`http://127.0.0.1:${runtime.port}/`);
  await page.waitForSelector('body[data-live="true"][data-loaded="true"]');
  await page.clock.pauseAt(new Date('2026-03-03T09:01:00Z'));
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
  await redis?.quit();
});

async function typeCommand(text: string): Promise<void> {
  await page.fill('#command-input', text);
  await page.press('#command-input', 'Enter');
}

const question = () => page.locator('.post--question').first();
const toasts = () => page.locator('#toasts .toast');

/** A bot post made at a known instant, as the outbox would make it. */
async function botPostAt(text: string, at: Date): Promise<Locator> {
  const id = await nextMessageId(redis);
  await appendMessage(redis, PLAYGROUND_CHANNEL, { id, author: BOT_AUTHOR, kind: 'notice', text }, at);
  const post = page.locator(`[data-post-id="${id}"]`);
  await post.waitFor();
  return post;
}

describe('the playground page, polished', () => {
  it('shows post times in the campaign’s time zone, not the browser’s', async () => {
    // No campaign yet: the zone new campaigns get (CANEVAS_TZ, Europe/Paris by default).
    expect((await api.call('GET', '/playground/api/channel')).body.tz).toBe('Europe/Paris');
    await typeCommand('/canevas start lang:en format:drip tz:America/Montreal');
    await question().waitFor();
    expect((await api.call('GET', '/playground/api/channel')).body.tz).toBe('America/Montreal');

    // 23:30 UTC on 3 March 2026: 18:30 in Montreal (UTC-5), 08:30 the next day in Tokyo, 00:30 in Paris.
    const notice = await botPostAt('A notice at a known time', new Date('2026-03-03T23:30:00Z'));
    const time = notice.locator('.meta time');
    await notice.locator('.meta time', { hasText: '18:30' }).waitFor();
    expect(await time.getAttribute('datetime')).toBe('2026-03-03T23:30:00.000Z');
    expect(await time.getAttribute('title')).toBe('Tuesday, 3 March 2026 at 18:30 (America/Montreal)');

    // The zone moves with the campaign's schedule, and every time shown with it.
    await typeCommand('/canevas schedule tz:Pacific/Kiritimati');
    await notice.locator('.meta time', { hasText: '13:30' }).waitFor();
    expect(await time.getAttribute('title')).toBe('Wednesday, 4 March 2026 at 13:30 (Pacific/Kiritimati)');
    expect((await activeCampaign(runtime)).tz).toBe('Pacific/Kiritimati');
    expect(pageErrors).toEqual([]);
  });

  it('shows inline code as code, its escapes as the characters, and a lone backtick as itself', async () => {
    const post = await botPostAt(
      'Type `/canevas start`, then \\`not code\\`; `**not bold** [x](http://a.example)`, `a\\_b\\`c` and a lone ` stays.',
      new Date(),
    );
    const body = post.locator('.body');
    expect(await body.locator('code').allTextContents()).toEqual([
      '/canevas start',
      '**not bold** [x](http://a.example)',
      'a_b`c',
    ]);
    expect(await body.locator('strong, a').count()).toBe(0);
    expect(await body.textContent()).toBe(
      'Type /canevas start, then `not code`; **not bold** [x](http://a.example), a_b`c and a lone ` stays.',
    );

    // The bot's own replies: the usage's commands, and the campaign id in the status, as code.
    await typeCommand('/canevas help');
    const help = page.locator('.ephemeral-item', { hasText: 'Commands (★' });
    await help.waitFor();
    expect(await help.locator('code').first().textContent()).toBe('/canevas help');
    expect(await help.textContent()).not.toContain('`');
    await typeCommand('/canevas status');
    const status = page.locator('.ephemeral-item', { hasText: 'Campaign id' });
    await status.waitFor();
    const id = (await activeCampaign(runtime)).id;
    expect(await status.locator('code').allTextContents()).toContain(id);
  });

  it('keeps the newest three command replies above the command box, dismissable', async () => {
    // Help and status are there (and the replies to start and schedule went already).
    expect(await page.locator('.ephemeral-item', { hasText: 'Commands (★' }).count()).toBe(1);
    const statuses = page.locator('.ephemeral-item', { hasText: 'Campaign id' });
    await typeCommand('/canevas status');
    await statuses.nth(1).waitFor();
    await typeCommand('/canevas status');
    // Help, status, status, status: the oldest went.
    await page.locator('.ephemeral-item', { hasText: 'Commands (★' }).waitFor({ state: 'detached' });
    expect(await page.locator('.ephemeral-item').count()).toBe(3);
    expect(await page.locator('.ephemeral-item', { hasText: 'Campaign id' }).count()).toBe(3);
    for (const left of [2, 1, 0]) {
      await page.getByRole('button', { name: 'Dismiss this reply' }).first().click();
      expect(await page.locator('.ephemeral-item').count()).toBe(left);
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('command-input');
  });

  it('stacks confirmations as toasts, at most three, that fade on the page’s clock', async () => {
    await page.selectOption('#user-select', 'ben');
    const answers = ['One.', 'Two.', 'Three.', 'Four.'];
    for (const [n, text] of answers.entries()) {
      await question().locator('.post-buttons').getByRole('button', { name: 'Answer' }).click();
      const dialog = page.getByRole('dialog', { name: 'The shared resource' });
      await dialog.getByLabel('Your answer').fill(text);
      await dialog.getByRole('button', { name: 'Send' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await question().locator('.reply', { hasText: text }).waitFor();
      await page.waitForFunction(
        (want) => document.querySelectorAll('#toasts .toast').length === want,
        Math.min(3, n + 1),
      );
    }
    // Four confirmations, three shown: the oldest went. None went to the replies above the box.
    expect(await toasts().count()).toBe(3);
    expect(await toasts().first().textContent()).toContain('your answer is recorded');
    expect(await page.locator('.ephemeral-item').count()).toBe(0);
    expect(await page.getByRole('status', { name: 'Confirmations' }).count()).toBe(1);

    await page.mouse.move(5, 5);
    await page.clock.runFor(TOAST_MS - 100);
    expect(await page.locator('#toasts .toast--leaving').count()).toBe(0);
    await page.clock.runFor(100);
    await page.locator('#toasts .toast--leaving').nth(2).waitFor();
    await page.clock.runFor(TOAST_FADE_MS);
    await toasts().first().waitFor({ state: 'detached' });
    expect(await toasts().count()).toBe(0);
  });

  it('holds a toast while the pointer is on it, and fades it once the pointer leaves', async () => {
    await question().locator('.post-buttons').getByRole('button', { name: 'Answer' }).click();
    const dialog = page.getByRole('dialog', { name: 'The shared resource' });
    await dialog.getByLabel('Your answer').fill('Five.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await toasts().first().waitFor();
    await toasts().first().hover();
    await page.clock.runFor(TOAST_MS * 3);
    expect(await toasts().count()).toBe(1);
    expect(await page.locator('#toasts .toast--leaving').count()).toBe(0);
    await page.mouse.move(5, 5);
    await page.clock.runFor(TOAST_MS + TOAST_FADE_MS);
    await toasts().first().waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('asks before deleting an answer; Escape and Cancel keep it', async () => {
    await question().getByLabel('Answer as Ben').fill('A typo to delete');
    await question().getByRole('button', { name: 'Send', exact: true }).click();
    const reply = question().locator('.reply', { hasText: 'A typo to delete' });
    await reply.waitFor();
    const remove = reply.getByRole('button', { name: 'Delete your answer' });
    const confirm = page.getByRole('alertdialog', { name: 'Delete this answer?' });

    await remove.click();
    await confirm.waitFor();
    expect(await confirm.locator('.confirm-quote').textContent()).toBe('A typo to delete');
    // The safe choice has the focus.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await remove.evaluate((node) => node === document.activeElement)).toBe(true);

    await remove.click();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await reply.count()).toBe(1);
    const live = Object.values((await activeCampaign(runtime)).answers).filter((a) => !a.removedAt);
    expect(live.map((a) => a.text)).toContain('A typo to delete');

    await remove.click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await reply.waitFor({ state: 'detached' });
    const after = Object.values((await activeCampaign(runtime)).answers);
    expect(after.find((a) => a.text === 'A typo to delete')?.removedAt).toBeDefined();
    // The focus goes on to the thread's answer box, once the thread is drawn again.
    await expect
      .poll(
        () =>
          question()
            .getByLabel('Answer as Ben')
            .evaluate((node) => node === document.activeElement),
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the ended campaign’s zone while its posts are shown', async () => {
    expect((await api.command('ada', '/canevas stop')).body.ok).toBe(true);
    expect(await runtime.store.activeId(PLAYGROUND_CHANNEL)).toBeNull();
    expect((await api.call('GET', '/playground/api/channel')).body.tz).toBe('Pacific/Kiritimati');
  });
});
