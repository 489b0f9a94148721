import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, type Receiver, verifySlackRequest } from '@slack/bolt';
import type { Logger } from '../../src/index.js';
import { checkSlackBody } from './payloads.js';

export const EVENTS_PATH = '/slack/events';
const MAX_BODY_BYTES = 1024 * 1024;
/** Slack gives up after 3 s; a request no listener acknowledged by then is answered 404, as Bolt does. */
const ACK_TIMEOUT_MS = 3_000;
/** How far a request's timestamp may stray from our clock, either way (Bolt only checks the past). */
const MAX_CLOCK_SKEW_S = 5 * 60;

/**
 * A Bolt receiver mounted on the one shared HTTP server: `POST /slack/events` takes slash commands,
 * events and interactivity, checks Slack's signature, and answers with whatever the listener acked.
 */
export class SlackHttpReceiver implements Receiver {
  private app?: App;

  constructor(
    private readonly signingSecret: string,
    private readonly logger: Logger,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** The request handler for the shared server; false for any other path. */
  readonly routes = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== EVENTS_PATH) return false;
    if (req.method !== 'POST') {
      send(res, 405, 'text/plain', 'Use POST.');
      return true;
    }
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      send(res, 413, 'text/plain', 'Too large.');
      return true;
    }
    const timestamp = Number(header(req, 'x-slack-request-timestamp'));
    try {
      // A request dated in the future could be replayed until that date: refused like a stale one.
      if (timestamp > Date.now() / 1000 + MAX_CLOCK_SKEW_S) throw new Error('timestamp in the future');
      verifySlackRequest({
        signingSecret: this.signingSecret,
        body: raw,
        headers: {
          'x-slack-signature': header(req, 'x-slack-signature'),
          'x-slack-request-timestamp': timestamp,
        },
      });
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'slack request refused: bad signature');
      send(res, 401, 'text/plain', 'Bad signature.');
      return true;
    }
    let parsed: unknown;
    try {
      parsed = parseBody(raw, header(req, 'content-type'));
    } catch {
      send(res, 400, 'text/plain', 'Bad body.');
      return true;
    }
    const verdict = checkSlackBody(parsed);
    if (!verdict.pass) {
      this.logger.warn({ issues: verdict.issues }, `slack ${verdict.what} refused: malformed`);
      send(res, verdict.status, 'text/plain', verdict.status === 200 ? '' : 'Bad payload.');
      return true;
    }
    const body = verdict.body;
    if (body.type === 'url_verification') {
      send(res, 200, 'application/json', JSON.stringify({ challenge: body.challenge }));
      return true;
    }
    if (body.ssl_check) {
      send(res, 200, 'text/plain', '');
      return true;
    }
    await this.dispatch(req, res, body);
    return true;
  };

  private async dispatch(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) {
    const app = this.app;
    if (!app) {
      send(res, 503, 'text/plain', 'Not ready.');
      return;
    }
    let answered = false;
    let settle: () => void = () => undefined;
    const acked = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const answer = (status: number, type: string, text: string) => {
      if (answered) return;
      answered = true;
      send(res, status, type, text);
      settle();
    };
    const retry = header(req, 'x-slack-retry-num');
    // Bolt acknowledges an event before its listener runs. Slack is answered only once the listener
    // is done, and the core has written the event to its campaign's inbox by then (durable), so a
    // crash or a Redis outage before that leaves the event unanswered (or 500) and Slack delivers it
    // again; the core counts a redelivered answer once. The core bounds how long it waits.
    const isEvent = body.type === 'event_callback';
    let eventAcked = false;
    const timer = isEvent ? undefined : setTimeout(() => answer(404, 'text/plain', ''), ACK_TIMEOUT_MS);
    const processing = app
      .processEvent({
        body,
        retryNum: retry ? Number(retry) : undefined,
        retryReason: header(req, 'x-slack-retry-reason') || undefined,
        ack: async (response?: unknown) => {
          if (isEvent) eventAcked = true;
          else if (response === undefined || response === '') answer(200, 'text/plain', '');
          else if (typeof response === 'string') answer(200, 'text/plain', response);
          else answer(200, 'application/json', JSON.stringify(response));
        },
      })
      .catch((err: unknown) => {
        this.logger.error({ err: (err as Error).message }, 'slack listener failed');
        answer(500, 'text/plain', '');
      })
      .finally(() => (eventAcked ? answer(200, 'text/plain', '') : answer(404, 'text/plain', '')));
    await Promise.race([acked, processing]);
    clearTimeout(timer);
  }
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** JSON (events) or a form (slash commands; interactivity sends its JSON in a `payload` field). */
export function parseBody(raw: string, contentType: string): unknown {
  if (contentType.includes('application/json')) return JSON.parse(raw);
  const form = new URLSearchParams(raw);
  const payload = form.get('payload');
  if (payload !== null) return JSON.parse(payload);
  return Object.fromEntries(form.entries());
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
