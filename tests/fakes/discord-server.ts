import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A fake Discord on loopback for tests: the REST API the bot calls (what it posts is recorded) and a
 * gateway (hello, identify -> READY + GUILD_CREATE, heartbeats, resume) on the same port, with
 * helpers to deliver what members do: slash commands, buttons, modals, thread messages, reactions.
 */

export const APP_ID = '100000000000000001';
export const GUILD_ID = '100000000000000002';
export const CHANNEL_ID = '100000000000000003';
export const BOT_ID = APP_ID;
const MANAGE_GUILD = 1n << 5n;
/** The gateway intent without which Discord sends no MESSAGE_REACTION_* event. */
export const GUILD_MESSAGE_REACTIONS = 1 << 10;
const EPOCH = 1420070400000n;

export interface FakeUser {
  id: string;
  name: string;
  admin?: boolean;
}

/** The people the e2e files use: Ada administers the channel, Ben and Chloé are members. */
export const ADA: FakeUser = { id: '200000000000000001', name: 'ada', admin: true };
export const BEN: FakeUser = { id: '200000000000000002', name: 'ben' };
export const CHLOE: FakeUser = { id: '200000000000000003', name: 'chloe' };

/** What points the runtime at this fake, in GUILD_ID, with the message text it reads in threads. */
export const fakeDiscordEnv = (discord: { url: string }): Record<string, string> => ({
  DISCORD_TOKEN: 'fake-token',
  DISCORD_APPLICATION_ID: APP_ID,
  DISCORD_API_URL: discord.url,
  DISCORD_GUILD_ID: GUILD_ID,
  DISCORD_MESSAGE_CONTENT: 'true',
});

export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id: string;
  type: number;
  content: string;
  author: { id: string; username: string; global_name: string | null; bot?: boolean; discriminator: string };
  embeds: { title?: string; description?: string; footer?: { text: string } }[];
  components: unknown[];
  attachments: {
    id: string;
    filename: string;
    size: number;
    url: string;
    proxy_url: string;
    content_type?: string;
    /** The alt text, from the message's `attachments` metadata. */
    description?: string;
    data: Buffer;
  }[];
  nonce?: string;
  allowed_mentions?: { parse?: string[]; users?: string[] };
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: unknown[];
  pinned: boolean;
  flags: number;
}

/** A failure after the work is done: the message is stored, then the answer is a 500 or never comes. */
export type WriteFault = 'http500' | 'drop';

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

interface Thread {
  id: string;
  parent_id: string;
  name: string;
}

/** An option of a registered command, as far as the tests read it. */
export interface CommandOption {
  name: string;
  /** 1 subcommand, 3 string, 4 integer, 5 boolean. */
  type?: number;
  required?: boolean;
  choices?: { name: string; value: string }[];
  options?: CommandOption[];
}

/**
 * What the bot answered to an interaction: its callback (4 = a reply, 5 = deferred, 9 = a modal;
 * flags 64 = ephemeral). A modal's data is its title, custom id and components.
 */
export interface InteractionCallback {
  type: number;
  data: { custom_id: string; flags?: number; content?: string; title?: string; components?: unknown[] };
}

/** An interaction's callback, and the reply the bot then gave (none when it opened a modal). */
export interface InteractionOutcome {
  callback: InteractionCallback;
  reply?: string;
}

export interface FakeDiscord {
  url: string;
  /** Every REST call, in order. */
  calls: Recorded[];
  /** Every message, bot and members, by id. */
  messages: Map<string, FakeMessage>;
  threads: Map<string, Thread>;
  /** The command definitions the bot registered (last PUT). */
  commands: () => CommandOption[] | undefined;
  botMessages: () => FakeMessage[];
  /** Answer the next `n` message posts with a 429. */
  rateLimitNextPosts(n: number): void;
  /**
   * The next `times` message posts (retries of the REST client included) are done, then answered with
   * `fault`; `times` 0 clears it.
   */
  faultAfterPosts(fault: WriteFault, times?: number): void;
  /** Discord keeps a nonce a few minutes: past them, a post with an old nonce makes a new message. */
  forgetNonces(): void;
  /** While on, a message with files gets 403 Missing Permissions (a channel without Attach Files). */
  refuseAttachments(on: boolean): void;
  /** Number of open gateway sessions that identified or resumed. */
  sessions: () => number;
  identifies: () => number;
  /** The shard each IDENTIFY named (`[id, count]`), in order. */
  shards: () => [number, number][];
  resumes: () => number;
  /** `/canevas <sub>` in GUILD_ID's channel, or in the channel of `guild` (one of the options' guilds). */
  command(user: FakeUser, sub: string, options?: Record<string, string>, guild?: string): Promise<string>;
  /** Types `value` in an autocompleted option; resolves with the offered choices. */
  autocomplete(user: FakeUser, sub: string, option: string, value: string): Promise<string[]>;
  clickAnswer(user: FakeUser, messageId: string): Promise<InteractionCallback>;
  /**
   * Presses the message's button whose custom id starts with `prefix`, and waits for the bot's callback
   * and for the reply it then edits in.
   */
  pressButton(
    user: FakeUser,
    messageId: string,
    prefix: string,
  ): Promise<{ callback: InteractionCallback; reply: string }>;
  submitModal(user: FakeUser, customId: string, text: string): Promise<string>;
  /** Presses the message's button with exactly this custom id: a modal, or the reply the bot gave. */
  press(user: FakeUser, messageId: string, customId: string): Promise<InteractionOutcome>;
  /** A slash command whose answer may be a modal (no reply then). */
  commandOutcome(user: FakeUser, sub: string, options?: Record<string, string>): Promise<InteractionOutcome>;
  /**
   * Sends a modal laid out with labels (as Discord does today): a string is a text input's value, an
   * array a string select's choices.
   */
  submitForm(
    user: FakeUser,
    customId: string,
    values: Record<string, string | string[]>,
  ): Promise<InteractionOutcome>;
  /**
   * A member puts (or takes off) a reaction on a message; `customId` makes it a server's own emoji.
   * Sent only to sessions that asked for the reactions intent, as Discord does.
   */
  react(user: FakeUser, messageId: string, emoji: string, added?: boolean, customId?: string): void;
  /** The intents of the sessions that identified, newest last. */
  intents: () => number[];
  /** A member posts in a thread; delivered over the gateway when `deliver` (default true). */
  say(user: FakeUser, threadId: string, content: string, deliver?: boolean): string;
  edit(messageId: string, content: string): void;
  /** Delivers a member's message again (a duplicate gateway event). */
  redeliver(messageId: string): void;
  remove(messageId: string): void;
  /** Closes the gateway connection: with 4000 (the default) the bot resumes, with 4007 it identifies anew. */
  drop(code?: number): void;
  /**
   * The bot is added to another server (GUILD_CREATE after ready), whose system channel is its
   * channel; `canPost` false leaves @everyone (the bot's only role) unable to send there.
   */
  joinGuild(guild: { id: string; canPost: boolean }): void;
  /** The bot is removed from a server (GUILD_DELETE, not an outage). */
  leaveGuild(guildId: string): void;
  close(): Promise<void>;
}

let counter = 0n;
let lastMs = 0n;
export function snowflake(): string {
  let ms = BigInt(Date.now()) - EPOCH;
  if (ms <= lastMs) ms = lastMs;
  if (ms !== lastMs) counter = 0n;
  lastMs = ms;
  counter += 1n;
  if (counter >= 4096n) {
    lastMs += 1n;
    counter = 0n;
    ms = lastMs;
  }
  return ((ms << 22n) | counter).toString();
}

const botUser = {
  id: BOT_ID,
  username: 'canevas',
  global_name: 'Canevas',
  bot: true,
  discriminator: '0',
  avatar: null,
};

function userOf(u: FakeUser) {
  return { id: u.id, username: u.name, global_name: u.name, discriminator: '0', avatar: null };
}

function memberOf(u: FakeUser) {
  return {
    user: userOf(u),
    roles: [],
    joined_at: new Date().toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    nick: null,
    permissions: (u.admin ? MANAGE_GUILD | 0x400n | 0x800n : 0x400n | 0x800n).toString(),
  };
}

async function readBody(
  req: IncomingMessage,
): Promise<{ json: unknown; files: { name: string; type: string; data: Buffer }[] }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const files: { name: string; type: string; data: Buffer }[] = [];
    let json: unknown = {};
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json') json = JSON.parse(String(value));
      else if (typeof value !== 'string')
        files.push({ name: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) });
    }
    return { json, files };
  }
  return { json: raw.length ? JSON.parse(raw.toString('utf8')) : undefined, files: [] };
}

/** Each server's one channel: CHANNEL_ID in GUILD_ID, the server's id plus one elsewhere. */
export const channelOf = (guildId: string) =>
  guildId === GUILD_ID ? CHANNEL_ID : (BigInt(guildId) + 1n).toString();

/** Discord's rule: a guild's events go to shard `(guild_id >> 22) % shards`. */
export function shardOfGuild(guildId: string, shards: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shards));
}

export interface FakeDiscordOptions {
  /** The shards `/gateway/bot` recommends (1 by default); each guild's events go to its own shard. */
  shards?: number;
  /** Servers besides GUILD_ID the bot is in, each with a channel of its own (the same id plus one). */
  guilds?: string[];
  /** The bot's token as Discord knows it: REST calls and IDENTIFYs with another are refused. Any, when absent. */
  token?: string;
  /**
   * Whether the privileged Message Content intent is switched on in the developer portal (true by
   * default): off, an IDENTIFY that asks for it is closed with 4014, as Discord does.
   */
  messageContentIntent?: boolean;
}

const MESSAGE_CONTENT = 1 << 15;

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const shardCount = options.shards ?? 1;
  const guildIds = [GUILD_ID, ...(options.guilds ?? [])];
  /** The shard each session identified as (`[id, count]`), kept across a resume. */
  const socketShards = new Map<WebSocket, [number, number]>();
  const shardsIdentified: [number, number][] = [];
  const calls: Recorded[] = [];
  const messages = new Map<string, FakeMessage>();
  const threads = new Map<string, Thread>();
  const interactionReplies = new Map<string, string>();
  const callbacks = new Map<string, InteractionCallback>();
  let commands: CommandOption[] | undefined;
  let rateLimited = 0;
  let postFault: { fault: WriteFault; left: number } = { fault: 'http500', left: 0 };
  /** The nonces Discord still remembers: channel and nonce to the message made with it. */
  const nonces = new Map<string, string>();
  let attachmentsRefused = false;
  let identifies = 0;
  let resumes = 0;
  const sockets = new Set<WebSocket>();
  /** What each session asked for at identify (kept across a resume, like Discord). */
  const socketIntents = new Map<WebSocket, number>();
  const identified: number[] = [];
  let seq = 0;
  const sessionId = 'fake-session';
  let url = '';

  function newMessage(
    channelId: string,
    author: FakeMessage['author'],
    body: Partial<FakeMessage>,
  ): FakeMessage {
    const m: FakeMessage = {
      id: snowflake(),
      channel_id: channelId,
      guild_id: GUILD_ID,
      type: 0,
      content: '',
      author,
      embeds: [],
      components: [],
      attachments: [],
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      pinned: false,
      flags: 0,
      ...body,
    };
    messages.set(m.id, m);
    return m;
  }

  const publicMessage = (m: FakeMessage) => ({
    ...m,
    attachments: m.attachments.map(({ data: _data, ...a }) => a),
  });
  /** Only the answer to a post echoes its nonce: Discord does not keep it with the message. */
  const listedMessage = (m: FakeMessage) => {
    const { nonce: _nonce, ...rest } = publicMessage(m);
    return rest;
  };

  /** Sends an event to the sessions that asked for it; `guildId` for an event about a guild as a whole. */
  function dispatch(t: string, d: unknown, intent?: number, guildId?: string): void {
    const guild = guildId ?? (d as { guild_id?: string }).guild_id;
    for (const ws of sockets) {
      if (intent !== undefined && ((socketIntents.get(ws) ?? 0) & intent) === 0) continue;
      const shard = socketShards.get(ws);
      if (guild && shard && shardOfGuild(guild, shard[1]) !== shard[0]) continue;
      seq += 1;
      ws.send(JSON.stringify({ op: 0, t, s: seq, d }));
    }
  }

  /** A message id without a thread is not a channel: Discord answers Unknown Channel. */
  const threadless = (id: string) => messages.has(id) && !threads.has(id);

  function threadChannel(t: Thread) {
    return {
      id: t.id,
      type: 11,
      guild_id: GUILD_ID,
      parent_id: t.parent_id,
      name: t.name,
      owner_id: BOT_ID,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 10080,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    };
  }

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    if (body === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(u.pathname).replace(/^(\/api)?\/v\d+/, '');
    const method = req.method ?? 'GET';
    const { json, files } = await readBody(req);
    calls.push({ method, path, body: json });
    const body = (json ?? {}) as Record<string, unknown>;
    let m: RegExpMatchArray | null;

    if (options.token && req.headers.authorization !== `Bot ${options.token}`)
      return send(res, 401, { message: '401: Unauthorized', code: 0 });
    if (method === 'GET' && path === '/gateway/bot') {
      // As many shards may identify at once as there are, so starting them costs no wait.
      return send(res, 200, {
        url,
        shards: shardCount,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: shardCount },
      });
    }
    if (method === 'GET' && path === '/users/@me') return send(res, 200, botUser);
    const guildCommands = path.match(/^\/applications\/\d+\/guilds\/(\d+)\/commands$/);
    if (method === 'PUT' && guildCommands && !guildIds.includes(guildCommands[1] ?? ''))
      return send(res, 403, { message: 'Missing Access', code: 50001 });
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      commands = json as typeof commands;
      return send(
        res,
        200,
        (commands ?? []).map((c) => ({ ...c, id: snowflake(), application_id: APP_ID, version: '1' })),
      );
    }
    m = path.match(/^\/channels\/(\d+)\/messages$/);
    if (m && threadless(m[1] as string)) return send(res, 404, { message: 'Unknown Channel', code: 10003 });
    if (m) {
      const channelId = m[1] as string;
      if (method === 'GET') {
        const after = BigInt(u.searchParams.get('after') ?? '0');
        const limit = Number(u.searchParams.get('limit') ?? '50');
        const list = [...messages.values()]
          .filter((x) => x.channel_id === channelId && BigInt(x.id) > after)
          .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
          .slice(0, limit)
          .reverse();
        return send(res, 200, list.map(listedMessage));
      }
      if (method === 'POST') {
        if (rateLimited > 0) {
          rateLimited -= 1;
          return send(
            res,
            429,
            { message: 'You are being rate limited.', retry_after: 0.05, global: false },
            { 'retry-after': '0.05', 'x-ratelimit-scope': 'user' },
          );
        }
        if (files.length > 0 && attachmentsRefused) {
          return send(res, 403, { message: 'Missing Permissions', code: 50013 });
        }
        const answer = (made: FakeMessage) => {
          if (postFault.left <= 0) return send(res, 200, publicMessage(made));
          postFault.left -= 1;
          if (postFault.fault === 'drop') return void req.socket.destroy();
          return send(res, 500, { message: '500: Internal Server Error', code: 0 });
        };
        const nonceKey = `${channelId}:${String(body.nonce)}`;
        if (body.enforce_nonce && body.nonce) {
          const same = messages.get(nonces.get(nonceKey) ?? '');
          if (same) return answer(same);
        }
        const msg = newMessage(channelId, botUser, {
          content: String(body.content ?? ''),
          embeds: (body.embeds as FakeMessage['embeds']) ?? [],
          components: (body.components as unknown[]) ?? [],
          nonce: body.nonce as string | undefined,
          allowed_mentions: body.allowed_mentions as FakeMessage['allowed_mentions'],
          attachments: files.map((f, i) => ({
            id: snowflake(),
            filename: f.name,
            size: f.data.length,
            content_type: f.type,
            description: (body.attachments as { id: number; description?: string }[] | undefined)?.find(
              (a) => Number(a.id) === i,
            )?.description,
            url: `${u.origin}/attachments/${f.name}`,
            proxy_url: `${u.origin}/attachments/${f.name}`,
            data: f.data,
          })),
        });
        if (body.nonce) nonces.set(nonceKey, msg.id);
        return answer(msg);
      }
    }
    m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/);
    if (m) {
      const msg = messages.get(m[2] as string);
      if (!msg) return send(res, 404, { message: 'Unknown Message', code: 10008 });
      if (method === 'PATCH') {
        if (body.content !== undefined) msg.content = String(body.content);
        if (body.embeds !== undefined) msg.embeds = body.embeds as FakeMessage['embeds'];
        if (body.components !== undefined) msg.components = body.components as unknown[];
        msg.allowed_mentions = body.allowed_mentions as FakeMessage['allowed_mentions'];
        msg.edited_timestamp = new Date().toISOString();
      }
      return send(res, 200, listedMessage(msg));
    }
    m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/);
    if (method === 'POST' && m) {
      const id = m[2] as string;
      if (threads.has(id))
        return send(res, 400, { message: 'A thread has already been created', code: 160004 });
      const t = { id, parent_id: m[1] as string, name: String(body.name) };
      threads.set(id, t);
      const channel = threadChannel(t);
      dispatch('THREAD_CREATE', { ...channel, newly_created: true });
      return send(res, 201, channel);
    }
    m = path.match(/^\/channels\/(\d+)$/);
    if (method === 'GET' && m) {
      const t = threads.get(m[1] as string);
      if (t) return send(res, 200, threadChannel(t));
      return send(res, 200, { id: m[1], type: 0, guild_id: GUILD_ID, name: 'general', position: 0 });
    }
    m = path.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/);
    if (method === 'POST' && m) {
      callbacks.set(m[1] as string, body as unknown as InteractionCallback);
      const data = body.data as { content?: string } | undefined;
      if (data?.content) interactionReplies.set(m[2] as string, data.content);
      return send(res, 204);
    }
    m = path.match(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/);
    if (m) {
      const token = m[2] as string;
      if (method === 'PATCH') interactionReplies.set(token, String(body.content ?? ''));
      // Ephemeral: not part of the channel's history.
      const reply = newMessage(CHANNEL_ID, botUser, { content: String(body.content ?? ''), flags: 64 });
      messages.delete(reply.id);
      return send(res, 200, publicMessage(reply));
    }
    return send(res, 404, { message: `fake discord: no route ${method} ${path}`, code: 0 });
  }

  /** A server the bot is in, as GUILD_CREATE gives it; the threads are all GUILD_ID's. */
  /**
   * A GUILD_CREATE's data; `joined` for a server the bot has just been added to: its channel is the
   * system channel, the bot's own member comes with it (as Discord sends it), and @everyone may
   * post there only when `canPost`.
   */
  function guildCreate(id: string, joined?: { canPost: boolean }) {
    return {
      id,
      name: id === GUILD_ID ? 'Commons' : `Server ${id}`,
      unavailable: false,
      owner_id: '1',
      ...(joined ? { system_channel_id: channelOf(id) } : {}),
      member_count: 3,
      large: false,
      joined_at: new Date().toISOString(),
      features: [],
      emojis: [],
      stickers: [],
      roles: [
        {
          id,
          name: '@everyone',
          // View Channel (1024) and Send Messages (2048).
          permissions: joined && !joined.canPost ? '1024' : '3072',
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      channels: [{ id: channelOf(id), type: 0, name: 'general', position: 0, permission_overwrites: [] }],
      threads: id === GUILD_ID ? [...threads.values()].map(threadChannel) : [],
      members: joined
        ? [
            {
              user: botUser,
              roles: [],
              joined_at: new Date().toISOString(),
              deaf: false,
              mute: false,
              flags: 0,
            },
          ]
        : [],
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { message: String(err), code: 0 }));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (raw) => {
      const p = JSON.parse(raw.toString()) as { op: number; d: unknown };
      if (p.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (p.op === 2) {
        identifies += 1;
        const d = p.d as { token?: string; intents?: number; shard?: [number, number] } | undefined;
        const intents = Number(d?.intents ?? 0);
        if (options.token && d?.token !== options.token) return ws.close(4004, 'Authentication failed.');
        if (options.messageContentIntent === false && intents & MESSAGE_CONTENT)
          return ws.close(4014, 'Disallowed intent(s).');
        const shard = d?.shard ?? [0, 1];
        socketIntents.set(ws, intents);
        socketShards.set(ws, shard);
        identified.push(intents);
        shardsIdentified.push(shard);
        sockets.add(ws);
        const mine = guildIds.filter((g) => shardOfGuild(g, shard[1]) === shard[0]);
        seq += 1;
        ws.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: seq,
            d: {
              v: 10,
              user: botUser,
              guilds: mine.map((id) => ({ id, unavailable: true })),
              session_id: `${sessionId}-${shard[0]}-${shard[1]}`,
              resume_gateway_url: url,
              application: { id: APP_ID, flags: 0 },
              shard,
            },
          }),
        );
        for (const id of mine) {
          seq += 1;
          ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: seq, d: guildCreate(id) }));
        }
      }
      if (p.op === 6) {
        resumes += 1;
        const session = String((p.d as { session_id?: string } | undefined)?.session_id ?? '');
        const [, id, count] = session.match(/-(\d+)-(\d+)$/) ?? [];
        socketShards.set(ws, [Number(id ?? 0), Number(count ?? 1)]);
        // A resumed session keeps the intents it identified with.
        socketIntents.set(ws, identified.at(-1) ?? 0);
        sockets.add(ws);
        seq += 1;
        ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: seq, d: {} }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  url = `ws://127.0.0.1:${port}`;

  async function interact(user: FakeUser, type: number, data: unknown, extra: Record<string, unknown> = {}) {
    const id = snowflake();
    const token = `token-${id}`;
    dispatch('INTERACTION_CREATE', {
      id,
      token,
      application_id: APP_ID,
      type,
      data,
      guild_id: GUILD_ID,
      channel_id: CHANNEL_ID,
      channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'general' },
      member: memberOf(user),
      app_permissions: '8',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': GUILD_ID },
      context: 0,
      version: 1,
      ...extra,
    });
    return { id, token };
  }

  /** Clicks a button the bot put on a message, with the custom id it gave it, as a real client does. */
  async function click(user: FakeUser, messageId: string, prefix: string, exact = false) {
    const msg = messages.get(messageId);
    if (!msg) throw new Error(`no message ${messageId}`);
    const button = (msg.components as { components?: { custom_id?: string }[] }[] | undefined)
      ?.flatMap((row) => row.components ?? [])
      .find((c) => (exact ? c.custom_id === prefix : c.custom_id?.startsWith(prefix)));
    if (!button?.custom_id) throw new Error(`message ${messageId} has no ${prefix} button`);
    return interact(
      user,
      3,
      { custom_id: button.custom_id, component_type: 2 },
      { message: publicMessage(msg) },
    );
  }

  const waitCallback = async (id: string): Promise<InteractionCallback> => {
    for (let i = 0; i < 300; i += 1) {
      const cb = callbacks.get(id);
      if (cb) return cb;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('fake discord: the button got no answer');
  };

  /** The callback, and unless it opened a modal, the reply it gave or edited in. */
  const outcome = async (id: string, token: string): Promise<InteractionOutcome> => {
    const callback = await waitCallback(id);
    if (callback.type === 9) return { callback };
    return { callback, reply: await waitReply(token) };
  };

  const waitReply = async (token: string): Promise<string> => {
    for (let i = 0; i < 300; i += 1) {
      const text = interactionReplies.get(token);
      if (text !== undefined) return text;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`fake discord: no reply to interaction ${token}`);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    messages,
    threads,
    commands: () => commands,
    botMessages: () => [...messages.values()].filter((x) => x.author.id === BOT_ID),
    rateLimitNextPosts: (n) => {
      rateLimited = n;
    },
    faultAfterPosts: (fault, times = 1) => {
      postFault = { fault, left: times };
    },
    forgetNonces: () => nonces.clear(),
    refuseAttachments: (on) => {
      attachmentsRefused = on;
    },
    sessions: () => sockets.size,
    identifies: () => identifies,
    shards: () => [...shardsIdentified],
    resumes: () => resumes,
    async command(user, sub, options = {}, guild = GUILD_ID) {
      const opts = Object.entries(options).map(([name, value]) => ({ type: 3, name, value }));
      const channel = channelOf(guild);
      const where = {
        guild_id: guild,
        channel_id: channel,
        channel: { id: channel, type: 0, guild_id: guild, name: 'general' },
        authorizing_integration_owners: { '0': guild },
      };
      const data = { id: '900', name: 'canevas', type: 1, options: [{ type: 1, name: sub, options: opts }] };
      const { token } = await interact(user, 2, data, where);
      return waitReply(token);
    },
    async autocomplete(user, sub, option, value) {
      const { id } = await interact(user, 4, {
        id: '900',
        name: 'canevas',
        type: 1,
        options: [{ type: 1, name: sub, options: [{ type: 3, name: option, value, focused: true }] }],
      });
      for (let i = 0; i < 300; i += 1) {
        const cb = callbacks.get(id) as { data?: { choices?: { value: string }[] } } | undefined;
        if (cb) return (cb.data?.choices ?? []).map((c) => c.value);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('fake discord: the autocomplete got no answer');
    },
    async clickAnswer(user, messageId) {
      const { id } = await click(user, messageId, 'canevas_answer');
      return waitCallback(id);
    },
    async pressButton(user, messageId, prefix) {
      const { id, token } = await click(user, messageId, prefix);
      const callback = await waitCallback(id);
      return { callback, reply: await waitReply(token) };
    },
    async submitModal(user, customId, text) {
      const { token } = await interact(user, 5, {
        custom_id: customId,
        components: [{ type: 1, components: [{ type: 4, custom_id: 'answer', value: text }] }],
      });
      return waitReply(token);
    },
    async press(user, messageId, customId) {
      const { id, token } = await click(user, messageId, customId, true);
      return outcome(id, token);
    },
    async commandOutcome(user, sub, options = {}) {
      const opts = Object.entries(options).map(([name, value]) => ({ type: 3, name, value }));
      const { id, token } = await interact(user, 2, {
        id: '900',
        name: 'canevas',
        type: 1,
        options: [{ type: 1, name: sub, options: opts }],
      });
      return outcome(id, token);
    },
    async submitForm(user, customId, values) {
      const components = Object.entries(values).map(([field, value], i) => ({
        type: 18,
        id: i + 1,
        component: Array.isArray(value)
          ? { type: 3, id: 100 + i, custom_id: field, values: value }
          : { type: 4, id: 100 + i, custom_id: field, value },
      }));
      const { id, token } = await interact(user, 5, { custom_id: customId, components });
      return outcome(id, token);
    },
    react(user, messageId, emoji, added = true, customId) {
      const msg = messages.get(messageId);
      if (!msg) throw new Error(`no message ${messageId}`);
      const d = {
        user_id: user.id,
        channel_id: msg.channel_id,
        message_id: msg.id,
        guild_id: GUILD_ID,
        emoji: { id: customId ?? null, name: emoji },
        burst: false,
        type: 0,
        // Only an added reaction names the member; a removal carries their id alone.
        ...(added ? { member: memberOf(user), message_author_id: msg.author.id } : {}),
      };
      dispatch(added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', d, GUILD_MESSAGE_REACTIONS);
    },
    intents: () => [...identified],
    say(user, threadId, content, deliver = true) {
      const msg = newMessage(threadId, userOf(user), { content });
      if (deliver) dispatch('MESSAGE_CREATE', { ...publicMessage(msg), member: memberOf(user) });
      return msg.id;
    },
    redeliver(messageId) {
      const msg = messages.get(messageId);
      if (!msg) throw new Error(`no message ${messageId}`);
      dispatch('MESSAGE_CREATE', publicMessage(msg));
    },
    edit(messageId, content) {
      const msg = messages.get(messageId);
      if (!msg) throw new Error(`no message ${messageId}`);
      msg.content = content;
      msg.edited_timestamp = new Date().toISOString();
      dispatch('MESSAGE_UPDATE', publicMessage(msg));
    },
    remove(messageId) {
      const msg = messages.get(messageId);
      if (!msg) throw new Error(`no message ${messageId}`);
      messages.delete(messageId);
      dispatch('MESSAGE_DELETE', { id: msg.id, channel_id: msg.channel_id, guild_id: GUILD_ID });
    },
    joinGuild({ id, canPost }) {
      dispatch('GUILD_CREATE', guildCreate(id, { canPost }), undefined, id);
    },
    leaveGuild(guildId) {
      dispatch('GUILD_DELETE', { id: guildId }, undefined, guildId);
    },
    drop(code = 4000) {
      for (const ws of sockets) ws.close(code, 'fake drop');
      sockets.clear();
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
