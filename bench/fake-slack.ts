/**
 * A minimal fake Slack Web API for the bench, run as a child process: it answers the methods Canevas
 * and Bolt call, keeps no message (a long run stays small and fast), and counts what it was asked.
 * The tests' fake (tests/fakes/slack-api.ts) checks Block Kit and keeps every call: right for tests,
 * too slow to stand for Slack at thousands of posts a second.
 *
 * Prints one JSON line `{"url": …}` once listening. `GET /bench/stats` answers the counts and when
 * each method was first and last called (`GET /bench/reset` starts them again), and
 * `GET /bench/questions?channel=C` the ts of the question posts made in a channel (threads to answer in).
 * Users whose id starts with `UADMIN` are workspace admins.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

const calls = new Map<string, number>();
/** When each method was first and last called (ms since the epoch): a rate seen from the API's side. */
const first = new Map<string, number>();
const last = new Map<string, number>();
const questions = new Map<string, string[]>();
let lastMicros = 0n;
let ids = 0;

/** Slack's ts: the time in seconds with microseconds, unique and increasing. */
function ts(): string {
  let micros = BigInt(Date.now()) * 1000n;
  if (micros <= lastMicros) micros = lastMicros + 1n;
  lastMicros = micros;
  return `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function argsOf(raw: string, type: string): Record<string, string> {
  if (raw === '' || type.startsWith('multipart/')) return {};
  if (type.includes('json')) {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function answer(method: string, args: Record<string, string>, base: string): Record<string, unknown> {
  switch (method) {
    case 'auth.test':
      return { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'TBENCH', user: 'canevas' };
    case 'chat.postMessage': {
      const made = ts();
      const channel = args.channel ?? '';
      // A question's post carries the Answer button; members answer in its thread.
      if (!args.thread_ts && (args.blocks ?? '').includes('canevas_answer')) {
        const list = questions.get(channel) ?? [];
        list.push(made);
        questions.set(channel, list);
      }
      return { ts: made, channel, message: { ts: made, text: args.text ?? '' } };
    }
    case 'chat.update':
      return { ts: args.ts, channel: args.channel };
    case 'chat.postEphemeral':
      return { message_ts: ts() };
    case 'users.info': {
      const id = args.user ?? '';
      return {
        user: { id, name: id.toLowerCase(), real_name: `Person ${id}`, is_admin: id.startsWith('UADMIN') },
      };
    }
    case 'files.getUploadURLExternal': {
      const id = `F${++ids}`;
      return { upload_url: `${base}upload/${id}`, file_id: id };
    }
    case 'files.completeUploadExternal':
      return { files: [] };
    case 'conversations.history':
    case 'conversations.replies':
      return { messages: [], has_more: false };
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

const server = createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/bench/stats')
      return send({
        calls: Object.fromEntries(calls),
        first: Object.fromEntries(first),
        last: Object.fromEntries(last),
      });
    if (url.pathname === '/bench/reset') {
      for (const m of [calls, first, last]) m.clear();
      return send({ ok: true });
    }
    if (url.pathname === '/bench/questions')
      return send(questions.get(url.searchParams.get('channel') ?? '') ?? []);
    if (url.pathname.startsWith('/upload/')) return send({ ok: true });
    if (url.pathname.startsWith('/respond/')) return send({ ok: true });
    const method = url.pathname.replace(/^\/(api\/)?/, '');
    calls.set(method, (calls.get(method) ?? 0) + 1);
    const now = Date.now();
    if (!first.has(method)) first.set(method, now);
    last.set(method, now);
    const body = answer(method, argsOf(raw, String(req.headers['content-type'] ?? '')), base);
    send({ ok: true, ...body });
  })().catch((err: unknown) => {
    res.writeHead(500);
    res.end(String(err));
  });
});

let base = '';
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  process.stdout.write(`${JSON.stringify({ url: base })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
