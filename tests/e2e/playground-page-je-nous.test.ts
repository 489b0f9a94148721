import type { Redis } from 'ioredis';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaygroundPlatform } from '../../adapters/playground/platform.js';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import { type PlaygroundServer, startPlaygroundServer } from '../../adapters/playground/server.js';
import type { ActionButton, ChatPlatform, OutboundPost } from '../../src/platform.js';
import { FakeInbound } from '../fakes/playground-inbound.js';
import { launchChromium } from '../helpers/browser.js';
import { freshRedis } from '../helpers/redis.js';

/**
 * The page in headless Chromium with the core's buttons and forms, reactions and permalinks, against
 * the routes and a small stand-in for the engine (whose forms have a field of every kind).
 */
const DB = 29;

let seq = 0;
const post = (kind: OutboundPost['kind'], text: string, extra: Partial<OutboundPost> = {}): OutboundPost => ({
  kind,
  text,
  dedupeKey: `page-je-nous-${++seq}`,
  ...extra,
});

const stances = (block: string, version: number): ActionButton[] => [
  { id: `fake|reply|${block}|${version}|consent`, label: '✅ Consent', style: 'primary', group: block },
  { id: `fake|reply|${block}|${version}|concern`, label: '🟡 Concern', group: block },
  { id: `fake|reply|${block}|${version}|objection`, label: '🛑 Objection', group: block },
];
const revise = (block: string): ActionButton => ({
  id: `fake|reply|${block}|revise`,
  label: '✏️ Revise',
  group: block,
});

let redis: Redis;
let server: PlaygroundServer;
let browser: Browser;
let page: Page;
let platform: ChatPlatform;
const inbound = new FakeInbound();
const pageErrors: string[] = [];

let questionId = '';
let consentId = '';

async function openPage(hash = ''): Promise<Page> {
  const opened = await browser.newPage({ viewport: { width: 900, height: 700 } });
  opened.on('pageerror', (err) => pageErrors.push(err.message));
  opened.on('console', (msg) => {
    // A refused form is a 400 on purpose; anything else logged as an error is a bug in the page.
    if (msg.type() === 'error' && !msg.text().includes('status of 400')) pageErrors.push(msg.text());
  });
  await opened.goto(`${server.url}/${hash}`);
  await opened.waitForSelector('body[data-live="true"][data-loaded="true"]');
  return opened;
}

/** The button rows of a post, each as its labels. */
async function rows(postId: string): Promise<string[][]> {
  const found = page.locator(`[data-post-id="${postId}"] .post-buttons .button-row`);
  const out: string[][] = [];
  for (const row of await found.all()) out.push(await row.locator('button').allTextContents());
  return out;
}

/** Each reaction chip of a message as its text, with `*` when the viewer's own. */
async function chips(message: Locator): Promise<string[]> {
  const bar = message.locator('.reactions').first();
  return bar
    .locator('button')
    .evaluateAll((buttons) =>
      buttons.map((b) => `${b.textContent}${b.getAttribute('aria-pressed') === 'true' ? '*' : ''}`),
    );
}

const inView = (locator: Locator) =>
  locator.evaluate((node) => {
    const box = node.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });

beforeAll(async () => {
  redis = await freshRedis(DB);
  platform = createPlaygroundPlatform(redis);
  server = await startPlaygroundServer({ redis, inbound });
  browser = await launchChromium();
  questionId = (
    await platform.post(
      PLAYGROUND_CHANNEL,
      post('question', '**Action plan**\n_What will we do?_', {
        question: {
          blockId: 'prj.act_gov',
          ficheTitle: 'Project',
          blockTitle: 'Governance actions',
          question: 'What will we do?',
          example: '',
          hints: [],
          position: 26,
          total: 29,
          lang: 'en',
        },
        buttons: [{ id: 'fake|form|1', label: '🎯 Propose an action' }],
      }),
    )
  ).ref;
  consentId = (
    await platform.post(
      PLAYGROUND_CHANNEL,
      post('consent', '🤝 **Shared versions**\nversion 1', {
        buttons: [...stances('def.a', 1), revise('def.a'), ...stances('def.b', 1), revise('def.b')],
      }),
    )
  ).ref;
  page = await openPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await redis?.quit();
});

describe('the playground page, from “I” to “we”', () => {
  it('draws the core’s buttons after the playground’s own, one row per group', async () => {
    await page.locator(`[data-post-id="${consentId}"] .button-row`).first().waitFor();
    expect(await rows(questionId)).toEqual([['Answer', '🎯 Propose an action']]);
    expect(await rows(consentId)).toEqual([
      ['✅ Consent', '🟡 Concern', '🛑 Objection', '✏️ Revise'],
      ['✅ Consent', '🟡 Concern', '🛑 Objection', '✏️ Revise'],
    ]);
    const consent = page.locator(`[data-post-id="${consentId}"] .post-buttons button`);
    // Consent asks to stand out; the others are drawn quiet.
    expect(await consent.first().getAttribute('class')).toBe('post-button');
    expect(await consent.nth(1).getAttribute('class')).toBe('post-button quiet');
    expect(await consent.first().getAttribute('data-button-id')).toBe(`core.${consentId}.0`);
    expect(await page.locator(`[data-post-id="${consentId}"] h3`).textContent()).toBe('Shared versions');

    await consent.nth(5).click();
    await page.locator('#toasts .toast', { hasText: 'Pressed fake|reply|def.b|1|concern.' }).waitFor();
    expect(inbound.presses.at(-1)).toEqual({
      channel: PLAYGROUND_CHANNEL,
      actor: { id: 'ada', name: 'Ada', isAdmin: true },
      buttonId: 'fake|reply|def.b|1|concern',
    });
  });

  it('opens a core form with a field of every kind, filled in, and keeps it open on a field error', async () => {
    await page
      .locator(`[data-post-id="${questionId}"]`)
      .getByRole('button', { name: '🎯 Propose an action' })
      .click();
    const dialog = page.locator('#form-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe('An action');
    // The form is not named like its button: it gets a place of its own on the post.
    expect(await dialog.getAttribute('data-form-id')).toBe(`core.${questionId}.1`);
    const what = dialog.getByLabel('What');
    expect(
      await what.evaluate((n) => [n.tagName, n.getAttribute('type'), n.getAttribute('maxlength')]),
    ).toEqual(['INPUT', 'text', '300']);
    expect(await what.inputValue()).toBe('Draft the charter');
    const notes = dialog.getByLabel('Notes');
    expect(await notes.evaluate((n) => n.tagName)).toBe('TEXTAREA');
    expect(await notes.inputValue()).toBe('One.\nTwo.');
    const circle = dialog.getByLabel('Circle');
    expect(await circle.evaluate((n) => n.tagName)).toBe('SELECT');
    expect(await circle.inputValue()).toBe('comm');
    expect(await circle.locator('option').allTextContents()).toEqual(['—', 'Governance', 'Communication']);
    const due = dialog.getByLabel('By when');
    expect(await due.getAttribute('type')).toBe('date');
    expect(await due.inputValue()).toBe('2027-03-31');

    await due.fill('1999-12-31');
    await dialog.getByRole('button', { name: 'Propose' }).click();
    const error = dialog.locator('[data-field-id="due"] .field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('A date from 2000 on.');
    expect(await error.locator('strong').textContent()).toBe('2000');
    expect(await due.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.isVisible()).toBe(true);
    expect(inbound.submissions).toEqual([]);

    await due.fill('2027-06-30');
    await circle.selectOption('gov');
    await dialog.getByRole('button', { name: 'Propose' }).click();
    await page.locator('#toasts .toast', { hasText: 'Action noted: Draft the charter.' }).waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect(inbound.submissions).toEqual([
      {
        channel: PLAYGROUND_CHANNEL,
        actor: { id: 'ada', name: 'Ada', isAdmin: true },
        formId: 'fake|form|1|form',
        values: { what: 'Draft the charter', notes: 'One.\nTwo.', circle: 'gov', due: '2027-06-30' },
      },
    ]);
  });

  it('opens the form a command answers with, and gives the focus back to the command box', async () => {
    const replies = await page.locator('.ephemeral-item').count();
    await page.fill('#command-input', '/canevas statement block:def.values');
    await page.press('#command-input', 'Enter');
    const dialog = page.locator('#form-dialog');
    await dialog.waitFor();
    const formId = `command.${Buffer.from('fake|form|command').toString('base64url')}`;
    expect(await dialog.getAttribute('data-form-id')).toBe(formId);
    expect(await dialog.getByLabel('By when').inputValue()).toBe('2027-03-31');
    await dialog.getByLabel('What').fill('Name the values');
    await dialog.getByRole('button', { name: 'Propose' }).click();
    await page.locator('#toasts .toast', { hasText: 'Action noted: Name the values.' }).waitFor();
    expect(inbound.submissions.at(-1)).toMatchObject({
      formId: 'fake|form|command',
      values: { what: 'Name the values', due: '2027-03-31' },
    });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('command-input');
    // The form was the answer: no reply of the command's own; the submission's is a toast.
    expect(await page.locator('.ephemeral-item').count()).toBe(replies);
  });

  it('shows a post edited in place with its new buttons, live', async () => {
    await platform.update(
      PLAYGROUND_CHANNEL,
      consentId,
      post('consent', '🤝 **Shared versions**\nversion 2', {
        buttons: [...stances('def.a', 2), revise('def.a'), revise('def.b')],
      }),
    );
    await page.locator(`[data-post-id="${consentId}"] .body`, { hasText: 'version 2' }).waitFor();
    expect(await rows(consentId)).toEqual([
      ['✅ Consent', '🟡 Concern', '🛑 Objection', '✏️ Revise'],
      ['✏️ Revise'],
    ]);
    const ids = await page
      .locator(`[data-post-id="${consentId}"] .post-buttons button`)
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-button-id')));
    // New stances, new ids; each Revise keeps its own.
    expect(ids).toEqual([8, 9, 10, 3, 7].map((i) => `core.${consentId}.${i}`));
  });

  it('lets the chosen person toggle 👍 and 👎, and any chip, on posts and replies', async () => {
    const notice = await platform.post(PLAYGROUND_CHANNEL, post('notice', 'Round closed.'));
    const stance = await platform.post(
      PLAYGROUND_CHANNEL,
      post('stance', '🛑 **Ben** objects.', { threadRef: notice.ref }),
    );
    await page.selectOption('#user-select', 'chloe');
    const reply = page.locator(`.reply[data-message-id="${stance.ref}"]`);
    await reply.waitFor();
    expect(await chips(reply)).toEqual(['👍', '👎']);

    await reply.getByRole('button', { name: 'React with 👍' }).click();
    await reply.locator('.reaction[aria-pressed="true"]').waitFor();
    expect(await chips(reply)).toEqual(['👍1*', '👎']);
    expect(inbound.reactions.at(-1)).toEqual({
      channel: PLAYGROUND_CHANNEL,
      messageRef: stance.ref,
      person: { id: 'chloe', name: 'Chloé' },
      emoji: '👍',
      added: true,
    });
    // The focus stays on the chip pressed, drawn again.
    await page.waitForFunction(
      (id) =>
        document.activeElement?.getAttribute('data-emoji') === '👍' &&
        document.activeElement.closest(`[data-message-id="${id}"]`) !== null,
      stance.ref,
    );

    // Ben's 🎉 arrives live; Chloé adds hers to it.
    const party = encodeURIComponent('🎉');
    await fetch(`${server.url}/playground/api/messages/${stance.ref}/reactions/${party}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'ben' }),
    });
    await reply.locator('.reaction', { hasText: '🎉' }).waitFor();
    expect(await chips(reply)).toEqual(['👍1*', '🎉1', '👎']);
    expect(await reply.locator('[data-emoji="🎉"]').getAttribute('aria-label')).toBe('🎉 1: Ben');
    await reply.locator('[data-emoji="🎉"]').click();
    await reply.locator('[data-emoji="🎉"][aria-pressed="true"]').waitFor();
    expect(await chips(reply)).toEqual(['👍1*', '🎉2*', '👎']);

    await reply.locator('[data-emoji="👍"]').click();
    await reply.locator('[data-emoji="👍"][aria-pressed="false"]').waitFor();
    expect(await chips(reply)).toEqual(['🎉2*', '👍', '👎']);
    expect(inbound.reactions.at(-1)).toMatchObject({ emoji: '👍', added: false });

    const top = page.locator(`[data-post-id="${notice.ref}"] > article`);
    await top.locator(':scope > .reactions [data-emoji="👎"]').click();
    await top.locator(':scope > .reactions [data-emoji="👎"][aria-pressed="true"]').waitFor();
    expect(await chips(top)).toEqual(['👎1*', '👍']);

    // Seen by Ben: the 🎉 is his too, the 👎 is Chloé's alone.
    await page.selectOption('#user-select', 'ben');
    // Pressed for Chloé until the page draws it for Ben.
    await top.locator(':scope > .reactions [data-emoji="👎"][aria-pressed="false"]').waitFor();
    expect(await chips(reply)).toEqual(['🎉2*', '👍', '👎']);
    expect(await chips(top)).toEqual(['👎1', '👍']);
    await page.selectOption('#user-select', 'ada');
  });

  it('scrolls to the message a permalink names and marks it, a reply in a thread too', async () => {
    for (let i = 0; i < 25; i++) await platform.post(PLAYGROUND_CHANNEL, post('notice', `Filler ${i}.`));
    const last = await platform.post(
      PLAYGROUND_CHANNEL,
      post('consent', 'The last round’s shared versions.'),
    );
    const reason = await platform.post(
      PLAYGROUND_CHANNEL,
      post('stance', '🟡 **Chloé** has a concern.', { threadRef: last.ref }),
    );
    const linked = await openPage(`#${reason.ref}`);
    const target = linked.locator(`#${reason.ref}`);
    await linked.locator('.reply.is-target').waitFor();
    expect(await target.getAttribute('class')).toContain('is-target');
    expect(await inView(target)).toBe(true);
    expect(await linked.evaluate(() => document.activeElement?.id)).toBe(reason.ref);
    expect(await linked.locator('.is-target').count()).toBe(1);

    // Another permalink on the same page: the question at the top.
    await linked.evaluate((id) => {
      location.hash = `#${id}`;
    }, questionId);
    const question = linked.locator(`[data-post-id="${questionId}"]`);
    await linked.locator(`[data-post-id="${questionId}"].is-target`).waitFor();
    expect(await inView(question.locator('h3'))).toBe(true);
    expect(await linked.locator('.is-target').count()).toBe(1);
    expect(await inView(target)).toBe(false);

    // The skip link's fragment is no message: nothing is marked or moved.
    await linked.evaluate(() => {
      location.hash = '#command-input';
    });
    expect(await linked.locator('.is-target').count()).toBe(1);
    await linked.close();
    expect(pageErrors).toEqual([]);
  });
});
