import { type FakeSlackApi, signSlackRequest, slashCommandPayload } from '../tests/fakes/slack-api.js';
import { waitFor } from '../tests/helpers/wait.js';
import type { Tracked } from './ledger.js';

export const SECRET = 'fault-suite-signing-secret';
export const ADMIN = 'UADA';
const MEMBERS = ['UBEN', 'UCHLOE', 'UDAN', 'UEVE', 'UFAY'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let events = 0;
let stamps = 0;

/** Slack's side of the conversation: signed commands and events, redelivered as Slack does until a 200. */
export class SlackDriver {
  constructor(
    private readonly base: () => string,
    readonly api: FakeSlackApi,
  ) {}

  /** One delivery; a connection refused or reset (serve down or killed) is status 0. */
  async deliverOnce(body: string, type: string, headers: Record<string, string> = {}): Promise<number> {
    try {
      const res = await fetch(`${this.base()}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': type, ...signSlackRequest(SECRET, body), ...headers },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      await res.text();
      return res.status;
    } catch {
      return 0;
    }
  }

  /**
   * Delivers an event until it is answered 200, each redelivery marked with X-Slack-Retry-Num as
   * Slack does (Slack spaces its three retries over minutes; the suite keeps going faster, longer).
   */
  async deliver(body: string, retryFrom = 0, deadlineMs = 120_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (let n = retryFrom; ; n++) {
      const headers: Record<string, string> =
        n > 0 ? { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_error' } : {};
      if ((await this.deliverOnce(body, 'application/json', headers)) === 200) return;
      if (Date.now() > deadline) throw new Error(`an event was never acknowledged: ${body.slice(0, 200)}`);
      await sleep(Math.min(500 * (n + 1), 2000));
    }
  }

  /** A slash command; resolves with the ephemeral reply (Slack does not redeliver commands). */
  async command(t: Tracked, text: string, user = ADMIN): Promise<string> {
    const form = new URLSearchParams({
      token: 'x',
      ...slashCommandPayload({
        team: t.channel.workspace,
        channel: t.channel.channel,
        user,
        text,
        responseUrl: `${this.api.url}respond/1`,
      }),
    }).toString();
    const responded = () => this.api.calls.filter((c) => c.method === 'response_url');
    const before = responded().length;
    const res = await fetch(`${this.base()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SECRET, form) },
      body: form,
    });
    const reply = await res.text();
    if (res.status !== 200) throw new Error(`/canevas ${text}: HTTP ${res.status} ${reply}`);
    const quick = (JSON.parse(reply) as { text: string }).text;
    if (quick !== '⏳') return quick;
    // Slow (after an outage): the answer comes later through the response URL.
    const late = await waitFor('the late reply', () => responded()[before], 60_000);
    return String(late.args.text);
  }

  /** `next`, counted as a question to expect when the core took it. */
  async next(t: Tracked): Promise<string> {
    const reply = await this.command(t, 'next');
    if (/on its way|Received/i.test(reply)) t.questions++;
    return reply;
  }

  async start(t: Tracked, cadence = 'weekly'): Promise<void> {
    const reply = await this.command(t, `start lang:en cadence:"${cadence}" format:drip`);
    if (!/Off we go|Received/i.test(reply)) throw new Error(`start in ${t.name}: ${reply}`);
    t.questions = 1;
  }

  /** The body of an event in the campaign's channel, with an event id Slack would keep on retries. */
  eventBody(t: Tracked, event: Record<string, unknown>): string {
    return JSON.stringify({
      token: 'x',
      team_id: t.channel.workspace,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `EvF${++events}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { channel: t.channel.channel, team: t.channel.workspace, ...event },
    });
  }

  /** A new member message ts, unique across the run. */
  newTs(): string {
    return `1900${String(++stamps).padStart(6, '0')}.000100`;
  }

  member(i: number): string {
    return MEMBERS[i % MEMBERS.length] as string;
  }

  /** A threaded reply: the body to deliver, with the answer recorded as sent. */
  answer(t: Tracked, thread: string, text: string, user: string, ts = this.newTs()) {
    t.answers.set(ts, { text, removed: false });
    return { ts, body: this.eventBody(t, { type: 'message', user, text, ts, thread_ts: thread }) };
  }

  edit(t: Tracked, thread: string, ts: string, user: string, text: string): string {
    const sent = t.answers.get(ts);
    t.answers.set(ts, { text, removed: sent?.removed ?? false });
    return this.eventBody(t, {
      type: 'message',
      subtype: 'message_changed',
      ts: this.newTs(),
      message: { type: 'message', user, text, ts, thread_ts: thread },
      previous_message: { type: 'message', user, text: sent?.text ?? '', ts, thread_ts: thread },
    });
  }

  remove(t: Tracked, thread: string, ts: string, user: string): string {
    const sent = t.answers.get(ts);
    t.answers.set(ts, { text: sent?.text ?? '', removed: true });
    return this.eventBody(t, {
      type: 'message',
      subtype: 'message_deleted',
      deleted_ts: ts,
      ts: this.newTs(),
      previous_message: { type: 'message', user, text: sent?.text ?? '', ts, thread_ts: thread },
    });
  }

  /** The channel's question posts made so far, by the metadata key every post carries. */
  questionPosts(t: Tracked) {
    return this.api
      .channelMessages(t.channel.channel)
      .filter((m) => !m.thread_ts && /-q-/.test(String(m.metadata?.event_payload.key ?? '')));
  }

  /** The thread of the channel's first question, once it is posted. */
  async firstThread(t: Tracked, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const first = this.questionPosts(t)[0];
      if (first) return first.ts;
      if (Date.now() > deadline) throw new Error(`no first question in ${t.name}`);
      await sleep(100);
    }
  }
}
