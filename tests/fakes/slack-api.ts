import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homeViewProblems, messageBlockProblems, viewProblems } from './slack-block-kit.js';

/** One Web API call as the fake received it: the method and its arguments (JSON fields parsed). */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** What the fake answered. */
  result?: Record<string, unknown>;
  /** The bearer token the call was made with. */
  token?: string;
  /** For a post to a response URL (method `response_url`): the URL's path, which says whose it is. */
  path?: string;
}

/** A message as the fake keeps it: what was posted, with the metadata and files Slack returns. */
export interface FakeSlackMessage {
  type: 'message';
  ts: string;
  channel: string;
  text: string;
  user: string;
  bot_id?: string;
  blocks?: unknown[];
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  files?: { id: string; name: string; title?: string }[];
}

/** A failure after the work is done: the message is stored, then the answer is a 500 or never comes. */
export type WriteFault = 'http500' | 'drop';

export interface FakeSlackApi {
  url: string;
  calls: SlackCall[];
  /** Bytes uploaded through the upload URL of files.uploadV2, by file id. */
  uploads: Map<string, Buffer>;
  /** Ids of users whose users.info says they are workspace admins. */
  admins: Set<string>;
  /** Display names users.info gives, by user id (others get `Person <id>` as their real name). */
  names: Map<string, string>;
  /** Channels the bot was not invited to: conversations.info says `is_member: false` (it is in every other). */
  outside: Set<string>;
  /** The channels users.conversations lists for each member (none for a member not named here). */
  memberships: Map<string, string[]>;
  /**
   * A member's message, as Slack keeps it once they post it (the test then delivers its event): its
   * permalink opens, and the bot's reads see it.
   */
  memberMessage(fields: {
    channel: string;
    user: string;
    text: string;
    thread_ts?: string;
  }): FakeSlackMessage;
  /** The next `times` calls of `method` get 429 with Retry-After: 1. */
  rateLimit(method: string, times: number): void;
  /**
   * The next `times` calls of `method` (those `when` picks, when given) get a 503 before doing
   * anything (Slack down, nothing made). Several such switches may be set at once.
   */
  serverErrors(method: string, times: number, when?: (args: Record<string, unknown>) => boolean): void;
  /** How many calls were answered 503 by `serverErrors`. */
  serverErrored: number;
  /**
   * The next call of `method` (that `when` picks) is held: done first when `write`, then left
   * unanswered until `release`, when its connection is dropped. `arrived` gives the caller's port.
   */
  holdNext(
    method: string,
    write: boolean,
    when?: (args: Record<string, unknown>) => boolean,
  ): { arrived: Promise<number>; release(): void };
  /** The next `times` calls of `method` answer `{ ok: false, error }`, as Slack does when it refuses. */
  fail(method: string, error: string, times?: number): void;
  /**
   * The next `times` calls of `method` (those `when` picks, when given) do their work, then fail with
   * `fault`; `times` 0 clears it.
   */
  faultAfterWrite(
    method: string,
    fault: WriteFault,
    times?: number,
    when?: (args: Record<string, unknown>) => boolean,
  ): void;
  /** Every message of a channel, thread replies included, oldest first. */
  channelMessages(channel: string): FakeSlackMessage[];
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
  let lastMicros = 0n;
  let ids = 0;
  const limits = new Map<string, number>();
  type Pick = (args: Record<string, unknown>) => boolean;
  const outages: { method: string; left: number; when?: Pick }[] = [];
  const holds: {
    method: string;
    write: boolean;
    when?: Pick;
    arrived(port: number): void;
    released: Promise<void>;
  }[] = [];
  const failures = new Map<string, { error: string; left: number }>();
  const writeFaults = new Map<
    string,
    { fault: WriteFault; left: number; when?: (args: Record<string, unknown>) => boolean }
  >();
  const messages: FakeSlackMessage[] = [];
  /** File names asked for in files.getUploadURLExternal, by file id. */
  const fileNames = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    void handle(req).then(
      ({ status, body, headers, drop }) => {
        if (drop) {
          req.socket.destroy();
          return;
        }
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
    names: new Map(),
    outside: new Set(),
    memberships: new Map(),
    memberMessage: ({ channel, user, text, thread_ts }) =>
      store({ channel, text, thread_ts, user, bot_id: undefined }),
    limited: 0,
    rateLimit: (method, times) => limits.set(method, times),
    serverErrored: 0,
    serverErrors: (method, times, when) => outages.push({ method, left: times, when }),
    holdNext(method, write, when) {
      let arrived: (port: number) => void = () => undefined;
      let release: () => void = () => undefined;
      const arrival = new Promise<number>((resolve) => {
        arrived = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.push({ method, write, when, arrived, released });
      return { arrived: arrival, release };
    },
    fail: (method, error, times = 1) => failures.set(method, { error, left: times }),
    faultAfterWrite: (method, fault, times = 1, when) =>
      writeFaults.set(method, { fault, left: times, when }),
    channelMessages: (channel) => messages.filter((m) => m.channel === channel),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  async function handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string>; drop?: boolean }> {
    const raw = await readRaw(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/upload/')) {
      fake.uploads.set(path.slice('/upload/'.length), await uploadedBytes(raw, req));
      return { status: 200, body: 'OK' };
    }
    if (path.startsWith('/archives/')) return opened(path, new URL(req.url ?? '/', 'http://x').searchParams);
    if (path.startsWith('/respond/')) {
      fake.calls.push({ method: 'response_url', args: JSON.parse(raw.toString('utf8')), path });
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
    const picked = (f: { method: string; when?: Pick }) => f.method === method && (f.when?.(args) ?? true);
    const down = outages.find((o) => o.left > 0 && picked(o));
    if (down) {
      down.left--;
      fake.serverErrored++;
      return { status: 503, body: { ok: false, error: 'fake_http_503' } };
    }
    const hold = holds.find(picked);
    if (hold) {
      holds.splice(holds.indexOf(hold), 1);
      const answer = hold.write ? answerCall(method, args) : undefined;
      fake.calls.push({ method, args, result: { held: true, ...(answer?.body as object) } });
      hold.arrived(req.socket.remotePort ?? 0);
      await hold.released;
      return answer ? { ...answer, drop: true } : { status: 500, body: {}, drop: true };
    }
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
    const fault = writeFaults.get(method);
    if (fault && fault.left > 0 && (fault.when?.(args) ?? true)) {
      fault.left--;
      call.result = { faulted: fault.fault };
      if (fault.fault === 'drop') return { ...answer, drop: true };
      return { status: 500, body: { ok: false, error: 'fake_http_500' } };
    }
    return answer;
  }

  /** Slack's ts: the time in seconds with microseconds, unique and increasing within a workspace. */
  function ts(): string {
    let micros = BigInt(Date.now()) * 1000n;
    if (micros <= lastMicros) micros = lastMicros + 1n;
    lastMicros = micros;
    return `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
  }

  /**
   * A permalink as Slack serves it to a signed-in member: the message, found by channel and undotted
   * ts (and in its thread when the link names one), or a 404.
   */
  function opened(path: string, query: URLSearchParams): { status: number; body: unknown } {
    const [, , channel = '', p = ''] = path.split('/');
    const thread = query.get('thread_ts');
    const found = messages.find(
      (m) =>
        m.channel === decodeURIComponent(channel) &&
        `p${m.ts.replace('.', '')}` === p &&
        (thread === null || (m.thread_ts === thread && query.get('cid') === m.channel)),
    );
    return found ? { status: 200, body: { ok: true, ts: found.ts } } : { status: 404, body: { ok: false } };
  }

  function store(
    fields: Omit<FakeSlackMessage, 'type' | 'ts' | 'user' | 'bot_id'> & { user?: string; bot_id?: string },
  ): FakeSlackMessage {
    const message: FakeSlackMessage = {
      type: 'message',
      ts: ts(),
      user: FAKE_BOT_USER,
      bot_id: FAKE_BOT_ID,
      ...fields,
    };
    // Slack leaves out what a message does not have.
    for (const [k, v] of Object.entries(message))
      if (v === undefined) delete message[k as keyof FakeSlackMessage];
    messages.push(message);
    return message;
  }

  function answerCall(method: string, args: Record<string, unknown>) {
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
      case 'chat.postMessage': {
        // Without chat:write.public, Slack refuses a post to a channel the bot is not in.
        if (fake.outside.has(String(args.channel))) return refused('not_in_channel', []);
        const problems = messageBlockProblems(args.blocks);
        if (problems.length) return refused('invalid_blocks', problems);
        const message = store({
          channel: String(args.channel),
          text: String(args.text ?? ''),
          blocks: args.blocks as unknown[] | undefined,
          thread_ts: args.thread_ts as string | undefined,
          metadata: args.metadata as FakeSlackMessage['metadata'],
        });
        return ok({ ts: message.ts, channel: args.channel, message: shown(message, true) });
      }
      case 'chat.update': {
        const problems = messageBlockProblems(args.blocks);
        if (problems.length) return refused('invalid_blocks', problems);
        const message = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!message) return { status: 200, body: { ok: false, error: 'message_not_found' } };
        message.text = String(args.text ?? '');
        message.blocks = args.blocks as unknown[] | undefined;
        return ok({ ts: args.ts, channel: args.channel });
      }
      case 'conversations.history': {
        // Newest first, top-level messages only (thread parents included), after `oldest`.
        const found = messages
          .filter((m) => m.channel === args.channel && (!m.thread_ts || m.thread_ts === m.ts))
          .filter((m) => after(m.ts, args.oldest))
          .reverse();
        return page(found, args);
      }
      case 'conversations.replies': {
        // The thread's parent first, then its replies after `oldest`, oldest first.
        const parent = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!parent) return { status: 200, body: { ok: false, error: 'thread_not_found' } };
        const replies = messages.filter(
          (m) =>
            m.channel === args.channel && m.thread_ts === args.ts && m !== parent && after(m.ts, args.oldest),
        );
        return page([parent, ...replies], args);
      }
      case 'chat.postEphemeral':
        return ok({ message_ts: ts() });
      case 'users.info': {
        const id = String(args.user);
        const admin = fake.admins.has(id);
        const profile = { display_name: fake.names.get(id) ?? '' };
        return ok({
          user: { id, name: id.toLowerCase(), real_name: `Person ${id}`, is_admin: admin, profile },
        });
      }
      case 'views.open': {
        if (!args.trigger_id) return refused('invalid_trigger_id', []);
        const problems = viewProblems(args.view);
        if (problems.length) return refused('invalid_arguments', problems);
        return ok({ view: { id: `V${++ids}`, ...(args.view as object) } });
      }
      case 'files.getUploadURLExternal': {
        const id = `F${++ids}`;
        fileNames.set(id, String(args.filename));
        return ok({ upload_url: `${fake.url}upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const files = ((args.files as { id: string; title?: string }[]) ?? []).map((f) => ({
          id: f.id,
          name: fileNames.get(f.id) ?? f.id,
          title: f.title,
        }));
        // Sharing files posts a message carrying them, as Slack does (no metadata can ride along).
        if (args.channel_id) {
          store({
            channel: String(args.channel_id),
            text: String(args.initial_comment ?? ''),
            thread_ts: args.thread_ts as string | undefined,
            files,
          });
        }
        return ok({ files: files.map((f) => ({ id: f.id, title: f.title })) });
      }
      case 'apps.connections.open':
        return ok({ url: fake.socketUrl });
      case 'conversations.info': {
        const id = String(args.channel);
        return ok({
          channel: { id, name: id.toLowerCase(), is_channel: true, is_member: !fake.outside.has(id) },
        });
      }
      case 'users.conversations': {
        const channels = (fake.memberships.get(String(args.user)) ?? []).map((id) => ({
          id,
          is_channel: true,
        }));
        return ok({ channels, response_metadata: { next_cursor: '' } });
      }
      case 'views.publish': {
        if (!args.user_id) return refused('invalid_arguments', ['user_id: missing']);
        const problems = homeViewProblems(args.view);
        if (problems.length) return refused('invalid_arguments', problems);
        return ok({ view: { id: `V${++ids}`, ...(args.view as object) } });
      }
      default:
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return fake;
}

const ok = (body: Record<string, unknown>) => ({ status: 200, body: { ok: true, ...body } });

/** Slack's refusal of a malformed request, saying what was wrong as Slack does. */
const refused = (error: string, problems: string[]) => ({
  status: 200,
  body: { ok: false, error, response_metadata: { messages: problems } },
});

/** Whether a ts is after Slack's `oldest` bound (exclusive, as Slack's default). */
function after(ts: string, oldest: unknown): boolean {
  return oldest === undefined || Number(ts) > Number(oldest);
}

/** The first `limit` messages (Slack caps limited apps at 15 whatever they ask). */
function page(found: FakeSlackMessage[], args: Record<string, unknown>) {
  const limit = Math.min(Number(args.limit ?? 100), 999);
  const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
  return ok({
    messages: found.slice(0, limit).map((m) => shown(m, withMetadata)),
    has_more: found.length > limit,
  });
}

/** A message as the read methods show it: metadata only when asked for, as Slack does. */
function shown(m: FakeSlackMessage, withMetadata: boolean) {
  const { channel: _channel, metadata, ...rest } = m;
  return withMetadata && metadata ? { ...rest, metadata } : rest;
}

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

/**
 * The runtime's variables for multi-workspace installs (OAuth) through this fake, the tokens sealed
 * with `secretKey` (32 bytes).
 */
export function slackOAuthEnv(
  api: FakeSlackApi,
  signingSecret: string,
  secretKey: Buffer,
): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_CLIENT_ID: 'client-id',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'state-secret',
    SLACK_API_URL: `${api.url}api/`,
    CANEVAS_SECRET_KEY: secretKey.toString('base64'),
  };
}
