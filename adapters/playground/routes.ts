import { readFile as readDiskFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Actor,
  type CampaignStore,
  type ChannelRef,
  createRedisStore,
  type EphemeralReply,
  type Inbound,
  isCluster,
  type Person,
  type RedisClient,
} from '../../src/index.js';
import {
  appendMessage,
  type ChannelMessage,
  channelKey,
  deleteMessage,
  eventsChannel,
  getMessage,
  MAX_REACTIONS,
  nextMessageId,
  readChannel,
  readFile,
  setReaction,
  updateMessageText,
} from './channel-store.js';
import { commandForm } from './core-actions.js';
import { HttpError } from './http-error.js';
import { buttonsOf, pressButton, submitForm } from './post-actions.js';
import { isReactionEmoji } from './reaction-emoji.js';

/** The one channel the page shows. */
export const PLAYGROUND_CHANNEL: ChannelRef = {
  platform: 'playground',
  workspace: 'local',
  channel: 'general',
};

export interface PlaygroundUser {
  id: string;
  name: string;
  admin: boolean;
}

export const PLAYGROUND_USERS: readonly PlaygroundUser[] = [
  { id: 'ada', name: 'Ada', admin: true },
  { id: 'ben', name: 'Ben', admin: false },
  { id: 'chloe', name: 'Chloé', admin: false },
];

/** Largest request body accepted: an answer is at most 8,000 characters, so this leaves room. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface PlaygroundRoutesDeps {
  redis: RedisClient;
  inbound: Inbound;
  /** A connection used only for pub/sub; one is duplicated from `redis` when absent. */
  subscriber?: RedisClient;
  /** Where the channel's campaigns are read (their time zone); one on `redis` when absent. */
  store?: CampaignStore;
  /** The zone of new campaigns (CANEVAS_TZ): the page's clock while the channel has had none. */
  defaultTz?: string;
}

/** A node:http handler returning false for paths that are not the playground's. */
export type PlaygroundRoutes = ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & {
  /** Ends the live-update streams and the subscriber connection this handler created itself. */
  close(): Promise<void>;
};

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'page.html', type: 'text/html; charset=utf-8' },
  '/playground/page.js': { file: 'page.js', type: 'text/javascript; charset=utf-8' },
  '/playground/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
};

// The page builds its DOM from text only; the policy makes sure nothing else could run even if it did not.
const PAGE_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const MESSAGE_PATH = /^\/playground\/api\/messages\/([A-Za-z0-9_-]{1,64})$/;
// The emoji itself, percent-encoded (`%F0%9F%91%8D` for 👍); read and checked once decoded.
const REACTION_PATH = /^\/playground\/api\/messages\/([A-Za-z0-9_-]{1,64})\/reactions\/([^/]{1,200})$/;
// Button and form ids are `<action>.<post id>` (see post-actions.ts) or the core's (core-actions.ts);
// anything else is simply unknown.
const BUTTON_PATH = /^\/playground\/api\/buttons\/([^/]{1,100})$/;
const FORM_PATH = /^\/playground\/api\/forms\/([^/]{1,220})$/;
const FILE_PATH = /^\/playground\/files\/([A-Za-z0-9_-]{1,64})\/[^/]+$/;

export function createPlaygroundRoutes(deps: PlaygroundRoutesDeps): PlaygroundRoutes {
  const events = createEventRelay(deps.redis, deps.subscriber);
  const zoneOf = channelZone(deps.store ?? createRedisStore(deps.redis), deps.defaultTz);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const asset = ASSETS[path];
    if (!asset && !path.startsWith('/playground/')) return false;
    try {
      refuseForeignRequest(req);
      if (asset) return await serveAsset(res, method, asset);
      if (path === '/playground/api/channel')
        return await route(method, 'GET', () => getChannel(deps, res, zoneOf));
      if (path === '/playground/api/command')
        return await route(method, 'POST', () => postCommand(deps, req, res));
      if (path === '/playground/api/messages')
        return await route(method, 'POST', () => postAnswer(deps, req, res));
      if (path === '/playground/api/events') return await route(method, 'GET', () => events.stream(req, res));
      const message = MESSAGE_PATH.exec(path);
      if (message?.[1]) {
        const id = message[1];
        if (method === 'PATCH') await editAnswer(deps, req, res, id);
        else if (method === 'DELETE') await removeAnswer(deps, req, res, id, url);
        else
          throw new HttpError(
            405,
            'method-not-allowed',
            'Use PATCH to edit a message or DELETE to remove it.',
          );
        return true;
      }
      const reaction = REACTION_PATH.exec(path);
      if (reaction?.[1] && reaction[2]) {
        if (method !== 'PUT' && method !== 'DELETE')
          throw new HttpError(
            405,
            'method-not-allowed',
            'Use PUT to react or DELETE to take the reaction back.',
          );
        await react(deps, req, res, { id: reaction[1], emoji: reaction[2], added: method === 'PUT', url });
        return true;
      }
      const button = BUTTON_PATH.exec(path)?.[1];
      if (button) return await route(method, 'POST', () => press(deps, req, res, decodeId(button)));
      const form = FORM_PATH.exec(path)?.[1];
      if (form) return await route(method, 'POST', () => submit(deps, req, res, decodeId(form)));
      const file = FILE_PATH.exec(path);
      if (file?.[1])
        return await route(method, 'GET', () => downloadFile(deps.redis, res, file[1] as string));
      throw new HttpError(404, 'not-found', `Nothing at ${path}.`);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendJson(res, err.status, { ok: false, error: err.code, message: err.message, ...err.extra });
      return true;
    }
  };
  return Object.assign(handle, { close: () => events.close() });
}

/**
 * The playground has no accounts: anyone who can reach it may act as any user. A page from another
 * origin must not do so through a visitor's browser, so a request naming a foreign origin is refused,
 * and a body must be JSON, which a cross-site form cannot send without the browser asking first.
 */
function refuseForeignRequest(req: IncomingMessage): void {
  const origin = req.headers.origin;
  const host = req.headers.host;
  // Behind a proxy that ends TLS, the page's origin is https on the same host.
  if (origin !== undefined && (!host || (origin !== `http://${host}` && origin !== `https://${host}`))) {
    throw new HttpError(403, 'forbidden-origin', 'Requests from another site may not use the playground.');
  }
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (hasBody && mediaType !== 'application/json') {
    throw new HttpError(
      415,
      'unsupported-media-type',
      'Send the body as JSON (Content-Type: application/json).',
    );
  }
}

async function route(method: string, expected: string, run: () => Promise<void>): Promise<boolean> {
  if (method !== expected) throw new HttpError(405, 'method-not-allowed', `Use ${expected} here.`);
  await run();
  return true;
}

async function serveAsset(res: ServerResponse, method: string, asset: { file: string; type: string }) {
  if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method-not-allowed', 'Use GET here.');
  const body = await readDiskFile(new URL(`./${asset.file}`, import.meta.url));
  res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', ...PAGE_SECURITY_HEADERS });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}

async function getChannel(
  deps: PlaygroundRoutesDeps,
  res: ServerResponse,
  zoneOf: () => Promise<string | null>,
): Promise<void> {
  const [stored, tz] = await Promise.all([readChannel(deps.redis, PLAYGROUND_CHANNEL), zoneOf()]);
  const posts = stored.map((post) => ({ ...apiMessage(post), replies: post.replies.map(apiMessage) }));
  sendJson(res, 200, { ok: true, channel: PLAYGROUND_CHANNEL, users: PLAYGROUND_USERS, tz, posts });
}

/**
 * The time zone the page shows times in: the channel's campaign's (the active one, else the latest, whose
 * posts are still there), else the default of new ones; null when neither is known.
 */
function channelZone(store: CampaignStore, defaultTz: string | undefined) {
  return async (): Promise<string | null> => {
    const id = (await store.activeId(PLAYGROUND_CHANNEL)) ?? (await store.latestId(PLAYGROUND_CHANNEL));
    // No answers read: only the campaign's own settings are needed.
    const loaded = id ? await store.load(id, []) : null;
    return loaded?.campaign.tz ?? defaultTz ?? null;
  };
}

/** A message as the API shows it: its buttons under their playground ids, the core's ids left out. */
function apiMessage<M extends ChannelMessage>(message: M) {
  const { coreButtons: _shown, coreIds: _carried, ...rest } = message;
  const buttons = buttonsOf(message);
  return buttons.length > 0 ? { ...rest, buttons } : rest;
}

/**
 * A reaction put on (PUT) or taken off (DELETE) any message of the channel, kept with it, then told to
 * the core, which counts a support emoji on an answer and leaves the rest alone. It is told again when
 * nothing changed here, so one the core missed (it was unreachable) is made up for by sending it again.
 */
async function react(
  deps: PlaygroundRoutesDeps,
  req: IncomingMessage,
  res: ServerResponse,
  target: { id: string; emoji: string; added: boolean; url: URL },
) {
  const user = await userOf(req, target.url);
  const emoji = decodeId(target.emoji);
  if (!isReactionEmoji(emoji)) {
    throw new HttpError(
      400,
      'bad-emoji',
      'A reaction is one emoji, percent-encoded in the path (%F0%9F%91%8D for 👍).',
    );
  }
  const { id, added } = target;
  const result = await setReaction(deps.redis, PLAYGROUND_CHANNEL, id, { emoji, userId: user.id, added });
  if (result.status === 'unknown-message') throw unknownMessage(id);
  if (result.status === 'full') {
    throw new HttpError(
      409,
      'too-many-reactions',
      `A message takes at most ${MAX_REACTIONS} different emoji: add one of those already there.`,
    );
  }
  await deps.inbound.react({
    channel: PLAYGROUND_CHANNEL,
    messageRef: id,
    person: { id: user.id, name: user.name },
    emoji,
    added,
  });
  sendJson(res, 200, { ok: true, reactions: result.reactions });
}

async function press(deps: PlaygroundRoutesDeps, req: IncomingMessage, res: ServerResponse, id: string) {
  const body = await readJsonBody(req);
  const user = requireUser(body.user);
  const result = await pressButton(targetOf(deps, user), id);
  sendJson(res, 200, { ok: true, ...result });
}

async function submit(deps: PlaygroundRoutesDeps, req: IncomingMessage, res: ServerResponse, id: string) {
  const body = await readJsonBody(req);
  const user = requireUser(body.user);
  const result = await submitForm(targetOf(deps, user), id, body.values);
  // Field errors are the form's to show, next to their fields: nothing was stored.
  sendJson(res, 'errors' in result ? 400 : 200, { ok: !('errors' in result), ...result });
}

function targetOf(deps: PlaygroundRoutesDeps, user: PlaygroundUser) {
  return { redis: deps.redis, inbound: deps.inbound, channel: PLAYGROUND_CHANNEL, actor: actorOf(user) };
}

/** A user as the core sees them, the same for a typed command and a pressed button. */
function actorOf(user: PlaygroundUser): Actor {
  return { id: user.id, name: user.name, isAdmin: user.admin };
}

/** A percent-encoded id is the same id; one that does not decode names nothing. */
function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}

async function postCommand(deps: PlaygroundRoutesDeps, req: IncomingMessage, res: ServerResponse) {
  const body = await readJsonBody(req);
  const user = requireUser(body.user);
  const text = requireText(body.text, 'text');
  const reply = await deps.inbound.command({
    channel: PLAYGROUND_CHANNEL,
    actor: actorOf(user),
    text: stripCommandName(text),
  });
  // The ephemeral reply goes back to the one who typed, and is never stored; so does a form to open.
  const form = reply.ok && reply.form ? { form: commandForm(reply.form) } : {};
  sendJson(res, 200, { ok: reply.ok, reply: reply.text, ...form });
}

/** What was typed, without the leading `/canevas` when there is one. */
export function stripCommandName(text: string): string {
  return text
    .trim()
    .replace(/^\/canevas(?=\s|$)/i, '')
    .trim();
}

async function postAnswer(deps: PlaygroundRoutesDeps, req: IncomingMessage, res: ServerResponse) {
  const body = await readJsonBody(req);
  const user = requireUser(body.user);
  const thread = requireText(body.thread, 'thread');
  const text = requireText(body.text, 'text');
  const parent = await getMessage(deps.redis, thread);
  if (!parent || parent.threadRef || parent.channel !== channelKey(PLAYGROUND_CHANNEL))
    throw unknownThread(thread);
  const id = await nextMessageId(deps.redis);
  const author: Person = { id: user.id, name: user.name };
  // The engine decides first: a refused answer leaves no trace in the channel either.
  const reply = await deps.inbound.answer({
    channel: PLAYGROUND_CHANNEL,
    threadRef: thread,
    messageRef: id,
    author,
    text,
    source: 'playground',
  });
  if (reply === null) throw unknownThread(thread);
  if (!reply.ok) throw refused(reply);
  const stored = await appendMessage(deps.redis, PLAYGROUND_CHANNEL, {
    id,
    author,
    kind: 'message',
    text,
    threadRef: thread,
  });
  if (stored.status !== 'created') throw unknownThread(thread);
  const message = await getMessage(deps.redis, id);
  sendJson(res, 201, {
    ok: true,
    message: message && apiMessage(withoutChannel(message)),
    reply: reply.text || undefined,
  });
}

async function editAnswer(deps: PlaygroundRoutesDeps, req: IncomingMessage, res: ServerResponse, id: string) {
  const body = await readJsonBody(req);
  const user = requireUser(body.user);
  const text = requireText(body.text, 'text');
  const message = await requireOwnMessage(deps.redis, id, user);
  const reply = await deps.inbound.editAnswer({
    channel: PLAYGROUND_CHANNEL,
    threadRef: message.threadRef as string,
    messageRef: id,
    text,
    author: { id: user.id, name: user.name },
  });
  if (reply === null) throw unknownThread(message.threadRef as string);
  if (!reply.ok) throw refused(reply);
  await updateMessageText(deps.redis, id, text);
  const updated = await getMessage(deps.redis, id);
  sendJson(res, 200, {
    ok: true,
    message: updated && apiMessage(withoutChannel(updated)),
    reply: reply.text || undefined,
  });
}

async function removeAnswer(
  deps: PlaygroundRoutesDeps,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  url: URL,
) {
  const user = await userOf(req, url);
  const message = await requireOwnMessage(deps.redis, id, user);
  await deps.inbound.removeAnswer({
    channel: PLAYGROUND_CHANNEL,
    threadRef: message.threadRef as string,
    messageRef: id,
  });
  await deleteMessage(deps.redis, PLAYGROUND_CHANNEL, id);
  sendJson(res, 200, { ok: true, id });
}

async function downloadFile(redis: RedisClient, res: ServerResponse, id: string): Promise<void> {
  const file = await readFile(redis, id);
  if (!file) throw new HttpError(404, 'unknown-file', 'That file is not in the playground (any more).');
  const ascii = file.name.replace(/[^\w.-]/g, '_');
  res.writeHead(200, {
    'content-type': file.contentType,
    'content-length': file.data.length,
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(file.data);
}

/** A DELETE names its user in the query (`?user=ben`) or in a JSON body, as the other requests do. */
async function userOf(req: IncomingMessage, url: URL): Promise<PlaygroundUser> {
  const fromQuery = url.searchParams.get('user');
  const body = fromQuery === null ? await readJsonBody(req) : {};
  return requireUser(fromQuery ?? body.user);
}

const unknownMessage = (id: string) =>
  new HttpError(404, 'unknown-message', `There is no message ${id} in this channel.`);

async function requireOwnMessage(redis: RedisClient, id: string, user: PlaygroundUser) {
  const message = await getMessage(redis, id);
  if (!message || message.channel !== channelKey(PLAYGROUND_CHANNEL)) throw unknownMessage(id);
  if (message.kind !== 'message' || !message.threadRef || message.author.id !== user.id) {
    throw new HttpError(403, 'not-author', 'Only the person who wrote a message may edit or delete it.');
  }
  return message;
}

function requireUser(value: unknown): PlaygroundUser {
  const user = PLAYGROUND_USERS.find((u) => u.id === value);
  if (!user) {
    const known = PLAYGROUND_USERS.map((u) => u.id).join(', ');
    throw new HttpError(400, 'unknown-user', `"user" must be one of ${known}.`);
  }
  return user;
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new HttpError(400, 'bad-request', `"${field}" must be a string.`);
  return value;
}

function unknownThread(thread: string): HttpError {
  return new HttpError(
    400,
    'unknown-thread',
    `Post ${thread} is not a question: answers go in a question's thread.`,
  );
}

function refused(reply: EphemeralReply): HttpError {
  return new HttpError(400, 'refused', reply.text, { reply: reply.text });
}

function withoutChannel<T extends { channel: string }>(message: T): Omit<T, 'channel'> {
  const { channel: _channel, ...rest } = message;
  return rest;
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  if (raw.trim() === '') throw new HttpError(400, 'missing-body', 'Send a JSON body.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'bad-json', 'The body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'bad-request', 'The body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Drain the rest instead of destroying the socket, so the client still reads the 413.
        req.off('data', onData);
        req.resume();
        reject(new HttpError(413, 'too-large', `The request body is over ${MAX_BODY_BYTES / 1024} kB.`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Relays the pub/sub channel to every browser connected to this process. Which browsers are
 * connected is the only thing held in memory, and it dies with their connections.
 */
function createEventRelay(redis: RedisClient, given?: RedisClient) {
  const clients = new Set<ServerResponse>();
  const events = eventsChannel(redis);
  let owned: RedisClient | undefined;
  let subscribed: Promise<unknown> | undefined;

  const subscribe = () => {
    if (!subscribed) {
      const subscriber = given ?? (isCluster(redis) ? redis.duplicate() : redis.duplicate());
      if (!given) owned = subscriber;
      subscriber.on('message', (channel: string, message: string) => {
        if (channel !== events) return;
        for (const client of clients) client.write(`data: ${message}\n\n`);
      });
      subscribed = subscriber.subscribe(events).catch((err: unknown) => {
        subscribed = undefined;
        throw err;
      });
    }
    return subscribed;
  };

  return {
    async stream(req: IncomingMessage, res: ServerResponse): Promise<void> {
      await subscribe();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      res.write(`data: ${JSON.stringify({ type: 'hello' })}\n\n`);
      clients.add(res);
      // Proxies and browsers drop silent streams; a comment line keeps this one open.
      const keepAlive = setInterval(() => res.write(': ping\n\n'), 20_000);
      keepAlive.unref();
      const cleanUp = () => {
        clearInterval(keepAlive);
        clients.delete(res);
      };
      req.on('close', cleanUp);
      res.on('close', cleanUp);
    },
    async close(): Promise<void> {
      for (const client of clients) client.end();
      clients.clear();
      if (owned) await owned.quit().catch(() => undefined);
    },
  };
}
