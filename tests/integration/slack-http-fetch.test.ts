import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebClient } from '../../adapters/slack/client.js';

/**
 * The Slack Web API client sends over kept-alive `node:http` connections (adapters/slack/http-fetch.ts):
 * one connection carries call after call, and what the client reads of an answer (its JSON, a 429's
 * Retry-After) arrives as Node's `fetch` would give it.
 */
let server: Server;
let url: string;
let connections = 0;
/** Answers still to give as 429 before the next 200. */
let limited = 0;
const bodies: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      if (limited > 0) {
        limited--;
        res.writeHead(429, { 'Retry-After': '0', 'Content-Type': 'application/json' });
        res.end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ ok: true, ts: `1.${bodies.length}`, channel: 'C1', text: 'é 👍' }));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the Slack client over kept-alive connections', () => {
  it('makes call after call on one connection, and reads each answer whole', async () => {
    const client = createWebClient('xoxb-test', url);
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const res = await client.chat.postMessage({ channel: 'C1', text: `post ${i} & more` });
      expect(res).toMatchObject({ ok: true, channel: 'C1', text: 'é 👍' });
    }
    expect(connections - before).toBe(1);
    expect(new URLSearchParams(bodies.at(-1)).get('text')).toBe('post 2 & more');
  });

  it('waits out a 429 by its Retry-After and sends the same call again', async () => {
    const client = createWebClient('xoxb-test', url);
    limited = 1;
    const sent = bodies.length;
    const res = await client.chat.postMessage({ channel: 'C1', text: 'again' });
    expect(res.ok).toBe(true);
    expect(bodies.slice(sent).map((b) => new URLSearchParams(b).get('text'))).toEqual(['again', 'again']);
  });
});
