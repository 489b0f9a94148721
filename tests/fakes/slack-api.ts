import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake received it: the method and its arguments (JSON fields parsed). */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** What the fake answered. */
  result?: Record<string, unknown>;
  /** The bearer token the call was made with. */
  token?: string;
}

export interface FakeSlackApi {
  url: string;
  calls: SlackCall[];
  /** Bytes uploaded through the upload URL of files.uploadV2, by file id. */
  uploads: Map<string, Buffer>;
  /** Ids of users whose users.info says they are workspace admins. */
  admins: Set<string>;
  /** The next `times` calls of `method` get 429 with Retry-After: 1. */
  rateLimit(method: string, times: number): void;
  /** The next `times` calls of `method` answer `{ ok: false, error }`, as Slack does when it refuses. */
  fail(method: string, error: string, times?: number): void;
  /** How many calls were answered 429. */
  limited: number;
  /** What apps.connections.open hands out (Socket Mode). */
  socketUrl?: string;
  close(): Promise<void>;
}

export const FAKE_TEAM = 'T0CANEVAS';
export const FAKE_BOT_USER = 'UBOT';
export const FAKE_BOT_ID = 'BBOT';

/** A fake Slack Web API on loopback, answering like Slack and recording every call. */
export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  let tsCounter = 0;
  let ids = 0;
  const limits = new Map<string, number>();
  const failures = new Map<string, { error: string; left: number }>();
  const server: Server = createServer((req, res) => {
    void handle(req).then(
      ({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      },
      (err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      },
    );
  });
  const fake: FakeSlackApi = {
    url: '',
    calls: [],
    uploads: new Map(),
    admins: new Set(),
    limited: 0,
    rateLimit: (method, times) => limits.set(method, times),
    fail: (method, error, times = 1) => failures.set(method, { error, left: times }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  async function handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const raw = await readRaw(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/upload/')) {
      fake.uploads.set(path.slice('/upload/'.length), await uploadedBytes(raw, req));
      return { status: 200, body: 'OK' };
    }
    if (path.startsWith('/respond/')) {
      fake.calls.push({ method: 'response_url', args: JSON.parse(raw.toString('utf8')) });
      return { status: 200, body: { ok: true } };
    }
    const method = path.replace(/^\/(api\/)?/, '');
    const left = limits.get(method) ?? 0;
    if (left > 0) {
      limits.set(method, left - 1);
      fake.limited++;
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } };
    }
    const args = parseArgs(raw.toString('utf8'), String(req.headers['content-type'] ?? ''));
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || undefined;
    const call: SlackCall = { method, args, token };
    fake.calls.push(call);
    const failure = failures.get(method);
    let answer: { status: number; body: unknown };
    if (failure && failure.left > 0) {
      failure.left--;
      answer = { status: 200, body: { ok: false, error: failure.error } };
    } else answer = answerCall(method, args);
    call.result = answer.body as Record<string, unknown>;
    return answer;
  }

  function answerCall(method: string, args: Record<string, unknown>) {
    const ts = () => `1700000${String(++tsCounter).padStart(3, '0')}.000100`;
    switch (method) {
      case 'auth.test':
        return ok({ user_id: FAKE_BOT_USER, bot_id: FAKE_BOT_ID, team_id: FAKE_TEAM, user: 'canevas' });
      case 'oauth.v2.access':
        // The workspace a code installs to is named in the code itself: code-T2 installs to T2.
        return ok({
          access_token: `xoxb-${String(args.code).replace(/^code-/, '')}`,
          token_type: 'bot',
          scope: 'chat:write,commands',
          bot_user_id: 'UBOT2',
          app_id: 'A1',
          team: { id: String(args.code).replace(/^code-/, ''), name: 'Second' },
          enterprise: null,
          is_enterprise_install: false,
          authed_user: { id: 'UINSTALLER' },
        });
      case 'chat.postMessage':
        return ok({ ts: ts(), channel: args.channel, message: { text: args.text } });
      case 'chat.update':
        return ok({ ts: args.ts, channel: args.channel });
      case 'chat.postEphemeral':
        return ok({ message_ts: ts() });
      case 'users.info': {
        const id = String(args.user);
        const admin = fake.admins.has(id);
        return ok({ user: { id, name: id.toLowerCase(), real_name: `Person ${id}`, is_admin: admin } });
      }
      case 'views.open':
        return ok({ view: { id: `V${++ids}` } });
      case 'files.getUploadURLExternal': {
        const id = `F${++ids}`;
        return ok({ upload_url: `${fake.url}upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const files = (args.files as { id: string; title?: string }[]) ?? [];
        return ok({ files: files.map((f) => ({ id: f.id, title: f.title })) });
      }
      case 'apps.connections.open':
        return ok({ url: fake.socketUrl });
      default:
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return fake;
}

const ok = (body: Record<string, unknown>) => ({ status: 200, body: { ok: true, ...body } });

function parseArgs(raw: string, type: string): Record<string, unknown> {
  if (raw === '') return {};
  if (type.includes('json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** The file's own bytes: the WebClient sends them as a multipart form, Slack also takes them raw. */
async function uploadedBytes(raw: Buffer, req: IncomingMessage): Promise<Buffer> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('multipart/form-data')) return raw;
  const form = await new Request('http://fake/', {
    method: 'POST',
    headers: { 'content-type': type },
    body: new Uint8Array(raw),
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  throw new Error('a multipart upload with no file in it');
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Slack's request signature: `v0=` HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function signSlackRequest(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
}

/** The fields Slack sends with a `/canevas` slash command (form-encoded over HTTP, JSON in Socket Mode). */
export function slashCommandPayload(fields: {
  team: string;
  channel: string;
  user: string;
  text: string;
  responseUrl: string;
}): Record<string, string> {
  return {
    team_id: fields.team,
    channel_id: fields.channel,
    user_id: fields.user,
    user_name: fields.user.toLowerCase(),
    command: '/canevas',
    text: fields.text,
    response_url: fields.responseUrl,
    trigger_id: 'trigger',
    api_app_id: 'A1',
  };
}
