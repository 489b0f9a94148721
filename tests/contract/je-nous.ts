import { expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import type {
  ContractField,
  ContractForm,
  ContractPost,
  JeNousDriver,
  Outcome,
  Submitted,
} from './je-nous-driver.js';

/**
 * The « je → nous » contract every adapter passes, on the real engine, store and queues: support by
 * 👍, the shared version written from the round post's 📝 button, consent, an objection with its
 * reason, a revision, agreement, a stance on an old version refused, `/canevas statement`, the
 * exports, an action entered with its form and put to consent, and Ostrom's principles rated.
 *
 * Call it inside the platform's `describe`; each step is one `it`, in order, sharing `state`. A
 * platform's own checks go in `extra`: each runs at the end of its step's `it`, with what it saw.
 */
export function jeNousContract(
  driver: () => JeNousDriver,
  extra: Partial<Record<Step, Extra>> = {},
  platform: {
    /**
     * Whether someone can press a button the post no longer shows (an old copy of it on Slack, a
     * replayed request in the playground). Discord refuses such a press itself, before the bot sees it.
     */
    staleButtons: boolean;
  } = { staleButtons: true },
) {
  const state: JeNousState = {
    resourceQuestion: '',
    benAnswer: '',
    chloeAnswer: '',
    host: '',
    firstConsent: '',
    forms: {},
  };
  const step = (name: Step, title: string, run: (d: JeNousDriver) => Promise<void>, timeout?: number) =>
    it(
      title,
      async () => {
        const d = driver();
        await run(d);
        await extra[name]?.(state, d);
      },
      timeout,
    );

  const hostWhen = (d: JeNousDriver, until: (p: ContractPost) => boolean, what: string) =>
    postWhen(d, state.host, until, what);

  step('support', 'counts chloé’s 👍 on ben’s answer as support, and no other emoji', async (d) => {
    const { ben, chloe } = d.users;
    await d.start();
    // Its post is in the channel a moment before the campaign records where it is.
    state.resourceQuestion = await waitFor(
      'the resource question’s post recorded',
      async () => (await d.campaign()).questions.find((q) => q.blockId === 'def.resource')?.postRef,
    );
    state.chloeAnswer = await d.answer(chloe, state.resourceQuestion, 'A shared map of repair points.');
    state.benAnswer = await d.answer(ben, state.resourceQuestion, 'Our tools library and its know-how.');
    await waitFor('both answers', async () => {
      const { answers } = await d.campaign();
      return answers[state.chloeAnswer] && answers[state.benAnswer];
    });
    await d.react(chloe, state.benAnswer, 'support');
    await d.react(ben, state.benAnswer, 'other');
    await d.react(chloe, state.chloeAnswer, 'other');
    await waitFor(
      'the support in the store',
      async () => (await d.campaign()).answers[state.benAnswer]?.reactions,
    );
    await d.settled();
    const { answers } = await d.campaign();
    expect(answers[state.benAnswer]?.reactions).toEqual({ '👍': [chloe] });
    expect(answers[state.chloeAnswer]?.reactions).toBeUndefined();
  });

  step(
    'next',
    '`next` puts a 📝 write button per block of the round before on the next round post',
    async (d) => {
      expect((await d.command(d.users.ada, 'next')).reply).toBeDefined();
      const round = await d.roundPost(2, 3);
      state.host = round.id;
      expect(round.buttons.map((b) => b.label)).toEqual([
        '📝 The shared resource',
        '📝 Purpose',
        '📝 Values',
      ]);
    },
  );

  step('write-refused', 'refuses 📝 to a member, telling him alone, changing nothing', async (d) => {
    const before = await d.snapshot();
    const round = await d.post(state.host);
    const refused = await d.press(d.users.ben, state.host, button(round, '📝 The shared resource').id);
    expect(refused.reply).toMatch(/admin/i);
    expect(refused.form).toBeUndefined();
    expect(await d.snapshot()).toEqual(before);
  });

  step(
    'write',
    'gives an admin the form filled with the answers, most supported first, and puts the statement to consent in the round post',
    async (d) => {
      const round = await d.post(state.host);
      const form = formOf(await d.press(d.users.ada, state.host, button(round, '📝 The shared resource').id));
      state.forms.write = form;
      expect(form.title).toBe('Shared version');
      expect(form.fields).toEqual([
        // Ben answered after Chloé, but Chloé supports his answer.
        longText('text', 'The shared resource · The text to agree on', 3000, {
          value: 'Our tools library and its know-how.\n\nA shared map of repair points.',
        }),
      ]);
      expect(reply(await d.submit(d.users.ada, form, { text: FIRST }))).toMatch(/posted for consent/);

      // One post, not two: the round post is edited in place with the statement and its buttons.
      const host = await hostWhen(d, (p) => p.text.includes(FIRST), 'the statement in the round post');
      expect(host.text).toContain('✅ 0 · 🟡 0 · 🛑 0');
      // The written block's 📝 is gone; the others keep their ids.
      expect(host.buttons.map((b) => [b.label, b.primary])).toEqual([
        ['📝 Purpose', false],
        ['📝 Values', false],
        [`✅ Consent${RES}`, true],
        [`🟡 Concern${RES}`, false],
        [`🛑 Objection${RES}`, false],
        [`✏️ Revise${RES}`, false],
      ]);
      expect(host.buttons.slice(0, 2).map((b) => b.id)).toEqual(
        round.buttons.filter((b) => b.label !== '📝 The shared resource').map((b) => b.id),
      );
      state.firstConsent = button(host, `✅ Consent${RES}`).id;
    },
  );

  step(
    'objection',
    'takes ben’s consent, and chloé’s objection only with its reason, shared in the round post’s thread',
    async (d) => {
      const { ben, chloe } = d.users;
      const host = await d.post(state.host);
      expect(reply(await pressLabel(d, ben, host, `✅ Consent${RES}`))).toMatch(/consent/i);
      await hostWhen(d, (p) => p.text.includes('✅ 1 · 🟡 0 · 🛑 0'), 'ben’s consent counted');

      const form = formOf(await d.press(chloe, state.host, button(host, `🛑 Objection${RES}`).id));
      state.forms.objection = form;
      expect(form.title).toBe('An objection');
      expect(form.fields).toEqual([longText('reason', 'What would harm the community', 2000)]);

      const before = await d.snapshot();
      expect(await d.submit(chloe, form, { reason: '   ' })).toEqual({
        accepted: false,
        errors: { reason: 'This field is needed.' },
      });
      expect(await d.snapshot()).toEqual(before);

      expect(reply(await d.submit(chloe, form, { reason: REASON }))).toMatch(/objection/i);
      const after = await hostWhen(d, (p) => p.text.includes('*objected*'), 'the objection shown');
      expect(after.text).toContain('✅ 1 · 🟡 0 · 🛑 1');
      const stance = await waitFor('the reason in the round post’s thread', async () =>
        (await d.threadReplies(state.host)).find((r) => r.text.includes(REASON)),
      );
      // Named as the platform names her.
      expect(stance.text).toMatch(/chlo/i);
    },
  );

  step(
    'revise',
    'refuses Revise to ben; ada’s revision edits the post with fresh stance buttons, until both consent',
    async (d) => {
      const { ada, ben, chloe } = d.users;
      const host = await d.post(state.host);
      const revise = button(host, `✏️ Revise${RES}`).id;
      const before = await d.snapshot();
      expect((await d.press(ben, state.host, revise)).reply).toMatch(/admin/i);
      expect(await d.snapshot()).toEqual(before);

      const form = formOf(await d.press(ada, state.host, revise));
      expect(form.fields[0]?.value).toBe(FIRST);
      expect(reply(await d.submit(ada, form, { text: SECOND }))).toMatch(/Version 2/);

      const revised = await hostWhen(d, (p) => p.text.includes('(version 2)'), 'version 2');
      expect(revised.text).toContain(SECOND);
      expect(revised.text).toContain('✅ 0 · 🟡 0 · 🛑 0');
      // Stances on version 2 are new buttons; Revise is the same one.
      const stances = revised.buttons.slice(-4);
      expect(stances.map((b) => b.label)).toEqual([
        `✅ Consent${RES}`,
        `🟡 Concern${RES}`,
        `🛑 Objection${RES}`,
        `✏️ Revise${RES}`,
      ]);
      expect(stances.map((b) => host.buttons.some((old) => old.id === b.id))).toEqual([
        false,
        false,
        false,
        true,
      ]);

      for (const user of [ben, chloe])
        expect(reply(await pressLabel(d, user, revised, `✅ Consent${RES}`))).toMatch(/consent/i);
      const agreed = await hostWhen(d, (p) => p.text.includes('*agreed*'), 'the statement agreed');
      expect(agreed.text).toContain('✅ 2 · 🟡 0 · 🛑 0');
      const statement = (await d.campaign()).statements?.['def.resource'];
      expect(statement?.versions.map((v) => v.stances.map((s) => [s.author.id, s.stance]))).toEqual([
        [
          [ben, 'consent'],
          [chloe, 'objection'],
        ],
        [
          [ben, 'consent'],
          [chloe, 'consent'],
        ],
      ]);
    },
  );

  if (platform.staleButtons)
    step(
      'stale',
      'refuses a stance on version 1, pressed after the revision, changing nothing',
      async (d) => {
        const before = await d.snapshot();
        expect((await d.press(d.users.chloe, state.host, state.firstConsent)).reply).toMatch(/revised/i);
        expect(await d.snapshot()).toEqual(before);
      },
    );

  step(
    'statement',
    'opens the statement form from `/canevas statement` for ada alone, and puts what she sends to consent',
    async (d) => {
      const { ada, ben } = d.users;
      const before = await d.snapshot();
      expect((await d.command(ben, 'statement block:def.purpose')).reply).toMatch(/admin/i);
      expect(await d.snapshot()).toEqual(before);

      const form = formOf(await d.command(ada, 'statement block:def.purpose'));
      state.forms.statement = form;
      expect(form.title).toBe('Shared version');
      expect(form.fields).toEqual([longText('text', 'Purpose · The text to agree on', 3000)]);
      expect((await d.submit(ada, form, { text: 'Repair rather than throw away.' })).accepted).toBe(true);
      const host = await hostWhen(d, (p) => p.text.includes('Repair rather than throw away.'), 'Purpose');
      expect(host.buttons.map((b) => b.label)).toEqual([
        '📝 Values',
        `✅ Consent${RES}`,
        `🟡 Concern${RES}`,
        `🛑 Objection${RES}`,
        `✏️ Revise${RES}`,
        `✅ Consent${PUR}`,
        `🟡 Concern${PUR}`,
        `🛑 Objection${PUR}`,
        `✏️ Revise${PUR}`,
      ]);
    },
  );

  step(
    'export',
    'exports the agreed text first, both versions, the stances with the reason, the support and working permalinks',
    async (d) => {
      const { ada, ben, chloe } = d.users;
      await d.settled();
      for (const format of ['json', 'md']) await d.command(ada, `export ${format}`);
      const doc = JSON.parse(await d.exported('json', 1)) as Exported;
      const block = doc.fiches.flatMap((f) => f.blocks).find((b) => b.id === 'def.resource');
      expect(block?.statement.status).toBe('agreed');
      expect(block?.statement.text).toBe(SECOND);
      expect(block?.statement.versions.map((v) => v.text)).toEqual([FIRST, SECOND]);
      expect(
        block?.statement.versions.map((v) => v.stances.map((s) => [s.author.id, s.stance, s.reason ?? ''])),
      ).toEqual([
        [
          [ben, 'consent', ''],
          [chloe, 'objection', REASON],
        ],
        [
          [ben, 'consent', ''],
          [chloe, 'consent', ''],
        ],
      ]);
      expect(block?.statement.stances.map((s) => [s.author.id, s.stance])).toEqual([
        [ben, 'consent'],
        [chloe, 'consent'],
      ]);
      // Most supported first: ben's answer, with chloé's 👍.
      expect(block?.answers.map((a) => [a.id, a.support])).toEqual([
        [state.benAnswer, { agree: 1, disagree: 0 }],
        [state.chloeAnswer, { agree: 0, disagree: 0 }],
      ]);
      const link = block?.answers[0]?.permalink ?? '';
      await d.openPermalink(link, state.benAnswer);
      state.permalink = link;

      const md = await d.exported('md', 1);
      // The agreed text first (the Markdown states the latest version; the JSON keeps them all), then the
      // answers with their links.
      expect(md.indexOf(SECOND)).toBeGreaterThanOrEqual(0);
      expect(md.indexOf(SECOND)).toBeLessThan(md.indexOf('Our tools library and its know-how.'));
      expect(md).toContain('(version 2)');
      expect(md).toContain(link);
    },
  );

  // Six rounds' posts: Slack's pacing makes this the longest step.
  step(
    'action',
    'records an action entered with its form on an action block’s question, a missing field refused first',
    async (d) => {
      const { ada, ben } = d.users;
      for (let round = 3; round <= 8; round++) {
        expect((await d.command(ada, 'next')).reply).toBeDefined();
        await d.roundPost(round, 2);
      }
      const ref = await waitFor(
        'the first action block’s question',
        async () => (await d.campaign()).questions.find((q) => q.blockId === 'prj.act_gov')?.postRef,
      );
      state.actionQuestion = ref;
      const question = await d.post(ref);
      expect(question.buttons.map((b) => b.label)).toEqual(['🎯 Propose an action']);
      const form = formOf(await d.press(ben, ref, button(question, '🎯 Propose an action').id));
      state.forms.action = form;
      expect(form.title).toBe('An action');
      expect(form.fields.map((f) => [f.id, f.required])).toEqual([
        ['what', true],
        ['who', true],
        ['due', true],
        ['indicator', true],
      ]);

      const before = await d.snapshot();
      expect(await d.submit(ben, form, { ...ACTION, what: '' })).toEqual({
        accepted: false,
        errors: { what: 'This field is needed.' },
      });
      expect(await d.snapshot()).toEqual(before);

      expect(reply(await d.submit(ben, form, ACTION))).toMatch(/Write the charter/);
      await d.settled();
      const actions = Object.values((await d.campaign()).answers).filter((a) => a.blockId === 'prj.act_gov');
      expect(actions.map((a) => [a.author.id, a.text])).toEqual([
        [
          ben,
          'Write the charter of the tools library — Ben and Chloé — 2027-03-31 — The charter is signed at the assembly',
        ],
      ]);
    },
    90_000,
  );

  step(
    'action-consent',
    'puts the action to consent in its question’s thread; a concern with its reason, then two consents agree it',
    async (d) => {
      const { ada, chloe } = d.users;
      const post = await waitFor('the action’s consent post', async () =>
        (await d.threadReplies(state.actionQuestion ?? '')).find((r) =>
          r.text.includes('Action proposed by'),
        ),
      );
      expect(post.text).toMatch(/Action proposed by \**Ben/i);
      expect(post.text).toContain('Write the charter of the tools library');
      expect(post.buttons.map((b) => b.label)).toEqual(['✅ Consent', '🟡 Concern', '🛑 Objection']);
      const concern = formOf(await pressLabel(d, chloe, post, '🟡 Concern'));
      expect(concern.fields.map((f) => [f.id, f.required])).toEqual([['reason', false]]);
      const worry = 'Who keeps the charter up to date?';
      expect(reply(await d.submit(chloe, concern, { reason: worry }))).toContain(
        'Your concern about the action',
      );
      const shared = await waitFor('the concern in the thread', async () =>
        (await d.threadReplies(state.actionQuestion ?? '')).find((r) => r.text.includes(worry)),
      );
      expect(shared.text).toContain('has a concern about the action');
      // Chloé's consent then takes the place of her concern.
      for (const user of [chloe, ada])
        expect(reply(await pressLabel(d, user, post, '✅ Consent'))).toMatch(
          /^✅ Your consent to the action “Write the charter/,
        );
      const agreed = await postWhen(d, post.id, (p) => p.text.includes('*agreed*'), 'the action agreed');
      expect(agreed.text).toContain('✅ 2 · 🟡 0 · 🛑 0');
      const c = await d.campaign();
      const [answerId] = Object.keys(c.actionConsents ?? {});
      expect(c.actionPostRefs?.[answerId ?? '']).toBe(post.id);
    },
  );

  step('ostrom', 'rates Ostrom’s principles with the selects of the last round’s 📊 form', async (d) => {
    const { ada, chloe } = d.users;
    await d.command(ada, 'next');
    const round = await d.roundPost(9, 2);
    const parts = round.buttons.filter((b) => b.label.startsWith('📊'));
    expect(parts.map((b) => b.label)).toEqual([
      '📊 Ostrom’s principles (1/2)',
      '📊 Ostrom’s principles (2/2)',
    ]);
    const form = formOf(await d.press(chloe, round.id, parts[0]?.id ?? ''));
    state.forms.ostrom = form;
    expect(form.title).toBe('Ostrom’s principles 1/2');
    expect(form.fields).toHaveLength(4);
    expect(form.fields[0]).toEqual({
      id: 'boundaries',
      // Clipped to the 45 characters a Discord field label takes.
      label: 'Clear boundaries (who is a member, who decid…',
      kind: 'select',
      required: false,
      options: ['in-place', 'partly', 'not-yet', 'unknown'],
    });
    expect((await d.submit(chloe, form, { boundaries: 'partly' })).accepted).toBe(true);
    await waitFor(
      'the rating',
      async () => (await d.campaign()).ostrom?.[chloe]?.ratings?.boundaries === 'partly',
    );
    expect((await d.campaign()).ostrom?.[chloe]?.ratings).toEqual({ boundaries: 'partly' });
  });

  return state;
}

export type Step =
  | 'support'
  | 'next'
  | 'write-refused'
  | 'write'
  | 'objection'
  | 'revise'
  | 'stale'
  | 'statement'
  | 'export'
  | 'action'
  | 'action-consent'
  | 'ostrom';

/** What the steps found, for the platform's own checks. */
export interface JeNousState {
  resourceQuestion: string;
  benAnswer: string;
  chloeAnswer: string;
  /** Round 2's post, which puts round 1's statements to consent. */
  host: string;
  /** Version 1's ✅ Consent button, stale once the statement is revised. */
  firstConsent: string;
  permalink?: string;
  actionQuestion?: string;
  /** The forms the steps opened, as the platform showed them. */
  forms: Partial<Record<'write' | 'objection' | 'statement' | 'action' | 'ostrom', ContractForm>>;
}

type Extra = (state: JeNousState, driver: JeNousDriver) => Promise<void>;

export const RES = ' · The shared resource';
const PUR = ' · Purpose';
export const FIRST = 'Our tools library, and the map of where to use them.';
export const SECOND = 'Our tools library, the map of where to use them, and a way to join from afar.';
export const REASON = 'It leaves out the people who cannot come to the workshop.';
export const ACTION = {
  what: 'Write the charter of the tools library',
  who: 'Ben and Chloé',
  due: '2027-03-31',
  indicator: 'The charter is signed at the assembly',
};

interface Exported {
  fiches: {
    blocks: {
      id: string;
      statement: {
        text: string;
        status: string;
        versions: { text: string; stances: { author: { id: string }; stance: string; reason?: string }[] }[];
        stances: { author: { id: string }; stance: string }[];
      };
      answers: { id: string; support: { agree: number; disagree: number }; permalink: string | null }[];
    }[];
  }[];
}

export function button(post: ContractPost, label: string) {
  const found = post.buttons.find((b) => b.label === label);
  if (!found)
    throw new Error(`no button ${label} on ${post.id}: ${post.buttons.map((b) => b.label).join(', ')}`);
  return found;
}

/** The platform's own shape of a form a step opened. */
export function rawForm<T>(form: ContractForm | undefined): T {
  if (!form) throw new Error('that step opened no form');
  return form.raw as T;
}

/** A required field of several lines, as a form shows it. */
const longText = (
  id: string,
  label: string,
  maxLength: number,
  filled: { value?: string } = {},
): ContractField => ({
  id,
  label,
  kind: 'long-text',
  required: true,
  maxLength,
  ...filled,
});

const pressLabel = (d: JeNousDriver, user: string, post: ContractPost, label: string) =>
  d.press(user, post.id, button(post, label).id);

function formOf(outcome: Outcome): ContractForm {
  if (!outcome.form) throw new Error(`a form was expected, not: ${outcome.reply}`);
  return outcome.form;
}

function reply(submitted: Submitted | Outcome): string {
  if ('accepted' in submitted && !submitted.accepted)
    throw new Error(`refused: ${JSON.stringify(submitted.errors)}`);
  if ('reply' in submitted && submitted.reply !== undefined) return submitted.reply;
  throw new Error('a reply was expected, not a form');
}

const postWhen = (d: JeNousDriver, id: string, until: (p: ContractPost) => boolean, what: string) =>
  waitFor(what, async () => {
    const p = await d.post(id);
    return until(p) ? p : undefined;
  });
