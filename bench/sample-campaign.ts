/** Large campaigns made with the pure core (no Redis): what exports and the sheet are measured on. */
import { createCampaign, transition } from '../src/facilitation/machine.js';
import type { Actor, Campaign } from '../src/facilitation/types.js';

const admin: Actor = { id: 'ada', name: 'Ada', isAdmin: true };
const START = Date.parse('2026-01-06T09:00:00Z');

export interface SampleOptions {
  /** Answers in all, spread evenly over the blocks. */
  answers: number;
  /** Characters per answer. */
  length: number;
  /** Distinct authors, answering in turn. */
  authors?: number;
  /** A tag in every answer's text: two campaigns with different tags draw different pictures. */
  tag?: string;
}

/**
 * A running campaign that asked every block in turn and got its share of `answers` on each, one a
 * minute (each answer has a time of its own, as the export prints them).
 */
export function sampleCampaign(blockIds: string[], options: SampleOptions): Campaign {
  const authors = options.authors ?? 40;
  let at = START;
  let c = createCampaign({
    id: 'bench',
    channel: { platform: 'playground', workspace: 'local', channel: 'bench' },
    lang: 'fr',
    tz: 'Europe/Paris',
    cadence: 'daily',
    digestCron: '0 9 * * 1',
    templateId: 't',
    blockIds,
    createdBy: admin,
    key: 'k',
    now: new Date(at),
  });
  const step = (event: Parameters<typeof transition>[1]) => {
    at += 60_000;
    const r = transition(c, event, new Date(at));
    if (r.ok) c = r.campaign;
  };
  step({ type: 'start', actor: admin });
  const n = blockIds.length;
  for (let b = 0; b < n; b++) {
    const share = Math.floor((options.answers * (b + 1)) / n) - Math.floor((options.answers * b) / n);
    for (let a = 0; a < share; a++) {
      const who = a % authors;
      const words = `${options.tag ?? ''} answer ${a}: what we share, with whom, and the rules we keep. `;
      const text = words.repeat(Math.ceil(options.length / words.length)).slice(0, options.length);
      step({
        type: 'answer-added',
        answer: {
          id: `m${b}-${a}`,
          blockId: blockIds[b] as string,
          author: { id: `u${who}`, name: `Person ${who}` },
          text,
          source: 'playground',
        },
      });
    }
    if (b < blockIds.length - 1) step({ type: 'next', actor: admin });
  }
  return c;
}
