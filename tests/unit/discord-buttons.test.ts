import { describe, expect, it } from 'vitest';
import { buttonRows, type OwnButton, RANK } from '../../adapters/discord/buttons.js';
import type { ActionButton } from '../../src/index.js';

/** How the Discord adapter lays out a post's buttons within 5 rows of 5. */
const remind: OwnButton = {
  customId: 'canevas_remind:en',
  label: 'Remind me',
  emoji: '🔔',
  style: 'secondary',
  rank: RANK.remind,
};
const tag = 'abcdef012345';
const write = (block: string): ActionButton => ({
  id: `cv|write|${tag}|${block}`,
  label: `📝 ${block}`,
  group: 'write',
});
const statement = (block: string, version = 1): ActionButton[] => [
  ...(['consent', 'concern', 'objection'] as const).map((s) => ({
    id: `cv|stance|${tag}|${block}|${version}|${s}`,
    label: `${s} · ${block}`,
    group: block,
    ...(s === 'consent' ? { style: 'primary' as const } : {}),
  })),
  { id: `cv|revise|${tag}|${block}`, label: `revise · ${block}`, group: block },
];
const ostrom = [1, 2].map((part) => ({
  id: `cv|ostrom|${tag}|${part}`,
  label: `📊 ${part}/2`,
  group: 'ostrom',
}));
const labels = (rows: ReturnType<typeof buttonRows>['rows']) =>
  rows.map((r) => r.components.map((b) => b.label));

describe('Discord button rows', () => {
  it('puts the adapter’s own buttons first, then each group on a row of its own', () => {
    const { rows, dropped } = buttonRows([remind], [write('b2'), write('b3'), ...statement('b1')]);
    expect(labels(rows)).toEqual([
      ['Remind me'],
      ['📝 b2', '📝 b3'],
      ['consent · b1', 'concern · b1', 'objection · b1', 'revise · b1'],
    ]);
    expect(dropped).toEqual([]);
    expect(rows[0]?.components[0]).toEqual({
      type: 2,
      style: 2,
      label: 'Remind me',
      custom_id: 'canevas_remind:en',
      emoji: { name: '🔔' },
    });
    // Consent is the primary action; the others are grey; the id is the core's, untouched.
    expect(rows[2]?.components.map((b) => [b.style, b.custom_id])).toEqual([
      [1, `cv|stance|${tag}|b1|1|consent`],
      [2, `cv|stance|${tag}|b1|1|concern`],
      [2, `cv|stance|${tag}|b1|1|objection`],
      [2, `cv|revise|${tag}|b1`],
    ]);
  });

  it('puts a core button without a group beside the adapter’s own, and continues a long group on the next row', () => {
    const answer: OwnButton = {
      customId: 'canevas_answer:en',
      label: 'Answer',
      style: 'primary',
      rank: RANK.essential,
    };
    const action = { id: `cv|action|${tag}|prj.act_gov`, label: '🎯 Propose an action' };
    expect(labels(buttonRows([answer], [action]).rows)).toEqual([['Answer', '🎯 Propose an action']]);
    const many = Array.from({ length: 7 }, (_, i) => ({
      id: `cv|write|${tag}|b${i}`,
      label: `w${i}`,
      group: 'write',
    }));
    expect(labels(buttonRows([], many).rows)).toEqual([
      ['w0', 'w1', 'w2', 'w3', 'w4'],
      ['w5', 'w6'],
    ]);
  });

  it('merges the smallest rows when there are more than five, keeping every button', () => {
    // The last round post with four statements: Remind me, 4 × 4 stance buttons, and Ostrom's two.
    const core = [...statement('b1'), ...statement('b2'), ...statement('b3'), ...statement('b4'), ...ostrom];
    const { rows, dropped } = buttonRows([remind], core);
    expect(dropped).toEqual([]);
    expect(rows).toHaveLength(5);
    expect(labels(rows)[0]).toEqual(['Remind me', '📊 1/2', '📊 2/2']);
    expect(rows.slice(1).map((r) => r.components[0]?.label)).toEqual([
      'consent · b1',
      'consent · b2',
      'consent · b3',
      'consent · b4',
    ]);
  });

  it('leaves out the least needed buttons only when five rows of five cannot hold them, and says which', () => {
    const core = [
      write('w1'),
      ...statement('b1'),
      ...statement('b2'),
      ...statement('b3'),
      ...statement('b4'),
      ...statement('b5'),
      ...ostrom,
    ];
    const { rows, dropped } = buttonRows([remind], core);
    expect(rows.length).toBeLessThanOrEqual(5);
    for (const row of rows) expect(row.components.length).toBeLessThanOrEqual(5);
    // 📝 has `/canevas statement`, Remind me has `/canevas remind-me`: they go first; stances stay.
    expect(dropped).toEqual([`cv|write|${tag}|w1`, 'canevas_remind:en', `cv|ostrom|${tag}|2`]);
    const kept = rows.flatMap((r) => r.components.map((b) => b.custom_id));
    for (const b of ['b1', 'b2', 'b3', 'b4', 'b5'])
      expect(kept.filter((id) => id.includes(`|${b}|`) || id.endsWith(`|${b}`))).toHaveLength(4);
  });

  it('clips labels to 80 characters and leaves out an id Discord could not send back', () => {
    const long = { id: `cv|action|${tag}|b1`, label: 'x'.repeat(90) };
    const tooLong = { id: `cv|action|${tag}|${'b'.repeat(100)}`, label: 'too long' };
    const { rows, dropped } = buttonRows([], [long, tooLong]);
    expect(rows[0]?.components.map((b) => b.label.length)).toEqual([80]);
    expect(dropped).toEqual([tooLong.id]);
  });
});
