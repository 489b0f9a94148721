import type { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChannel } from '../../adapters/playground/channel-store.js';
import { createPlaygroundPlatform } from '../../adapters/playground/platform.js';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import { type PlaygroundServer, startPlaygroundServer } from '../../adapters/playground/server.js';
import type { ChatPlatform, OutboundPost } from '../../src/platform.js';
import { FakeInbound } from '../fakes/playground-inbound.js';
import { launchChromium } from '../helpers/browser.js';
import { freshRedis } from '../helpers/redis.js';

/** The page in headless Chromium, against the routes and a small stand-in for the engine. */
const DB = 8;

let seq = 0;
const post = (kind: OutboundPost['kind'], text: string, extra: Partial<OutboundPost> = {}): OutboundPost => ({
  kind,
  text,
  dedupeKey: `e2e-${++seq}`,
  ...extra,
});

const INJECTION =
  '@everyone <b>bold</b> **look** _sly_ [x](http://evil.example) <img src=x onerror=alert(1)>';

let redis: Redis;
let server: PlaygroundServer;
let browser: Browser;
let page: Page;
let platform: ChatPlatform;
const inbound = new FakeInbound();
const pageErrors: string[] = [];

beforeAll(async () => {
  redis = await freshRedis(DB);
  platform = createPlaygroundPlatform(redis);
  server = await startPlaygroundServer({ redis, inbound });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    // A refused answer is a 400 on purpose; anything else logged as an error is a bug in the page.
    if (msg.type() === 'error' && !msg.text().includes('status of 400')) pageErrors.push(msg.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await redis?.quit();
});

const replyItems = (postId: string) => page.locator(`[data-post-id="${postId}"] .reply`);

describe('the playground page', () => {
  let questionId = '';

  it('loads, goes live and says what it is', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-live="true"][data-loaded="true"]');
    expect(await page.locator('h1').textContent()).toContain('Canevas');
    expect(await page.textContent('.corner-note')).toContain(
      'Canevas playground — a local channel; connect Slack or Discord with the variables in the README',
    );
    expect(await page.inputValue('#user-select')).toBe('ada');
    expect(await page.locator('#empty').isVisible()).toBe(true);
    // Usable on a phone: nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('shows an ephemeral reply to /canevas help, only to the one who asked, until dismissed', async () => {
    await page.fill('#command-input', '/canevas help');
    await page.press('#command-input', 'Enter');
    const item = page.locator('.ephemeral-item');
    await item.waitFor();
    expect(await item.locator('.tag').textContent()).toBe('Only visible to you');
    expect(await item.locator('strong').textContent()).toBe('Usage');
    expect(await page.inputValue('#command-input')).toBe('');
    expect(await readChannel(redis, PLAYGROUND_CHANNEL)).toEqual([]);

    await page.selectOption('#user-select', 'ben');
    expect(await page.locator('.ephemeral-item').count()).toBe(0);
    await page.selectOption('#user-select', 'ada');
    expect(await page.locator('.ephemeral-item').count()).toBe(1);
    await page.click('.ephemeral-item button:has-text("Dismiss")');
    expect(await page.locator('.ephemeral-item').count()).toBe(0);
  });

  it('shows a bot post live, questions standing out with an answer box', async () => {
    const { ref } = await platform.post(PLAYGROUND_CHANNEL, post('intro', 'Welcome to **the canvas**'));
    const q = await platform.post(
      PLAYGROUND_CHANNEL,
      post('question', '**The shared resource**\n_What is shared?_\n> A map of bike-repair points', {
        question: {
          blockId: 'shared-resource',
          ficheTitle: 'Definition',
          blockTitle: 'The shared resource',
          question: 'What is shared?',
          example: 'A map',
          hints: [],
          position: 1,
          total: 29,
          lang: 'en',
        },
      }),
    );
    questionId = q.ref;
    inbound.questions.add(q.ref);
    const question = page.locator(`[data-post-id="${q.ref}"]`);
    await question.waitFor();
    expect(await page.locator(`[data-post-id="${ref}"] strong`).textContent()).toBe('the canvas');
    expect(await question.getAttribute('class')).toContain('post--question');
    expect(await question.locator('h3.post-title').textContent()).toBe('Question 1/29 · The shared resource');
    expect(await question.locator('.body em').textContent()).toBe('What is shared?');
    expect(await question.locator('.body blockquote').textContent()).toBe('A map of bike-repair points');
    expect(await question.locator('label').first().textContent()).toBe('Answer as Ada');
    expect(await question.locator('.post-buttons button').allTextContents()).toEqual(['Answer']);
    expect(await page.locator(`[data-post-id="${ref}"] .post-buttons button`).count()).toBe(0);
    expect(await page.locator('#empty').isVisible()).toBe(false);
  });

  it('keeps a half-typed answer while new posts arrive', async () => {
    const box = page.locator(`[data-post-id="${questionId}"]`).getByLabel('Answer as Ada');
    await box.fill('half a tho');
    const { ref } = await platform.post(PLAYGROUND_CHANNEL, post('notice', 'Paused by Ada.'));
    await page.locator(`[data-post-id="${ref}"]`).waitFor();
    expect(await box.inputValue()).toBe('half a tho');
    expect(await box.evaluate((node) => node === document.activeElement)).toBe(true);
    await box.fill('');
  });

  it('answers in the thread as ben, then edits and deletes it', async () => {
    await page.selectOption('#user-select', 'ben');
    const question = page.locator(`[data-post-id="${questionId}"]`);
    await question.getByLabel('Answer as Ben').fill('A map of repair points');
    await question.getByRole('button', { name: 'Send' }).click();
    await replyItems(questionId).first().waitFor();
    expect(await replyItems(questionId).locator('.text').textContent()).toBe('A map of repair points');
    expect(await replyItems(questionId).locator('.author').textContent()).toBe('Ben');
    expect(await question.getByLabel('Answer as Ben').inputValue()).toBe('');
    expect([...inbound.answers.values()]).toEqual(['A map of repair points']);

    await replyItems(questionId).getByRole('button', { name: 'Edit your answer' }).click();
    await replyItems(questionId).getByLabel('Edit your answer').fill('A shared map of repair points');
    await replyItems(questionId).getByRole('button', { name: 'Save' }).click();
    await page.waitForSelector(`[data-post-id="${questionId}"] .reply .edited`);
    expect(await replyItems(questionId).locator('.text').textContent()).toBe('A shared map of repair points');

    await page.selectOption('#user-select', 'chloe');
    await page.waitForSelector(`[data-post-id="${questionId}"] label:has-text("Answer as Chloé")`);
    // Someone else's answer: Chloé may react to it, not edit or delete it.
    expect(await replyItems(questionId).getByRole('button').allTextContents()).toEqual(['👍', '👎']);

    await page.selectOption('#user-select', 'ben');
    await replyItems(questionId).getByRole('button', { name: 'Delete your answer' }).click();
    // Asked first (playground-page-polish.test.ts tries the dialog's other ways out).
    await page
      .getByRole('alertdialog', { name: 'Delete this answer?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.waitForSelector(`[data-post-id="${questionId}"] .reply`, { state: 'detached' });
    expect(inbound.removals).toHaveLength(1);
    expect((await readChannel(redis, PLAYGROUND_CHANNEL))[1]?.replies).toEqual([]);
  });

  it('shows a refused answer only to its author and keeps the draft', async () => {
    const question = page.locator(`[data-post-id="${questionId}"]`);
    await question.getByLabel('Answer as Ben').fill('   ');
    await question.getByRole('button', { name: 'Send' }).click();
    const refused = page.locator('.ephemeral-item.refused');
    await refused.waitFor();
    expect(await refused.locator('.body').textContent()).toBe('Your answer is empty.');
    expect(await replyItems(questionId).count()).toBe(0);
    await refused.getByRole('button', { name: 'Dismiss this reply' }).click();
  });

  it('shows markup and mentions in an answer literally, and in the bot quoting it', async () => {
    await page.selectOption('#user-select', 'chloe');
    const question = page.locator(`[data-post-id="${questionId}"]`);
    await question.getByLabel('Answer as Chloé').fill(INJECTION);
    await question.getByRole('button', { name: 'Send' }).click();
    const reply = replyItems(questionId).first();
    await reply.waitFor();
    expect(await reply.locator('.text').textContent()).toBe(INJECTION);
    expect(await reply.locator('.text b, .text strong, .text em, .text a, .text img').count()).toBe(0);

    // The bot quotes it back escaped by its format; the page must show the words, not the markup.
    const quoted = platform.format.quote(platform.format.escape(INJECTION));
    const link = platform.format.link('http://localhost:3000/canvas/c1?key=k', 'the canvas');
    const summary = await platform.post(
      PLAYGROUND_CHANNEL,
      post('summary', `${platform.format.bold('Canvas')}\n${quoted}\n${link}\n[bad](javascript:alert(1))`),
    );
    const body = page.locator(`[data-post-id="${summary.ref}"] .body`);
    await body.waitFor();
    expect(await body.locator('strong').allTextContents()).toEqual(['Canvas']);
    const shown = (await body.locator('blockquote').textContent())?.replaceAll('\u200b', '');
    expect(shown).toBe(INJECTION);
    expect(await body.locator('blockquote *:not(br)').count()).toBe(0);
    const anchors = body.locator('a');
    expect(await anchors.count()).toBe(1);
    expect(await anchors.getAttribute('href')).toBe('http://localhost:3000/canvas/c1?key=k');
    expect(await body.textContent()).toContain('[bad](javascript:alert(1))');
    expect(pageErrors).toEqual([]);
  });

  it('highlights the people a post mentions, and the post that mentions you', async () => {
    await page.selectOption('#user-select', 'ben');
    const ben = platform.format.mention({ id: 'ben', name: 'Ben' });
    const chloe = platform.format.mention({ id: 'chloe', name: 'Chloé' });
    const text = `⏰ **Round 1/9** closes soon.\n${ben} and ${chloe}: you asked. @Ada and @Benoît are not called.`;
    const { ref } = await platform.post(
      PLAYGROUND_CHANNEL,
      post('reminder', text, { mentions: ['ben', 'chloe'] }),
    );
    const nudge = page.locator(`[data-post-id="${ref}"]`);
    await nudge.waitFor();
    expect(await nudge.locator('.body .mention').allTextContents()).toEqual(['@Ben', '@Chloé']);
    expect(await nudge.locator('.body .mention--me').allTextContents()).toEqual(['@Ben']);
    expect(await nudge.getAttribute('class')).toContain('post--mentions-me');
    expect(await nudge.locator('.body').textContent()).toBe(
      '⏰ Round 1/9 closes soon.@Ben and @Chloé: you asked. @Ada and @Benoît are not called.',
    );

    await page.selectOption('#user-select', 'ada');
    await page.waitForSelector(`[data-post-id="${ref}"]:not(.post--mentions-me)`);
    expect(await nudge.locator('.body .mention').count()).toBe(2);
    expect(await nudge.locator('.body .mention--me').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('offers a posted file for download', async () => {
    const csv = Buffer.from('block,answer\n', 'utf8');
    const { ref } = await platform.post(
      PLAYGROUND_CHANNEL,
      post('export', 'Your export', {
        file: { name: 'canevas.csv', contentType: 'text/csv', data: csv },
      }),
    );
    const link = page.locator(`[data-post-id="${ref}"] .file a`);
    await link.waitFor();
    expect(await link.textContent()).toBe('Download canevas.csv');
    const href = await link.getAttribute('href');
    const res = await fetch(`${server.url}${href}`);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(await res.text()).toBe('block,answer\n');
  });
});
