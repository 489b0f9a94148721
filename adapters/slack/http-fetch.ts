import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { webApi } from '@slack/bolt';

type FetchFunction = webApi.FetchFunction;
type FetchInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/** One pool of kept-alive connections per process, shared by every workspace's client. */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * The `fetch` the Slack Web API client sends with: plain `node:http`/`https` requests over kept-alive
 * connections. Node's own `fetch` costs several times more CPU a call (WHATWG streams, a Response per
 * answer), which the outbox pays on every post; and it sends through undici's process-wide dispatcher,
 * which another copy of undici may have replaced (see adapters/discord/http-agent.ts).
 */
export const agentFetch: FetchFunction = async (input, init = {}) => {
  const url = new URL(input);
  const { body, headers } = await encodeBody(init);
  const secure = url.protocol === 'https:';
  return new Promise<FetchResponse>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method: init.method ?? 'GET',
      headers,
      agent: secure ? agents.https : agents.http,
      ...(init.signal ? { signal: init.signal } : {}),
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => resolve(responseOf(url, res, Buffer.concat(chunks))));
      // A connection lost mid-answer: the call may have been made (the caller treats it as uncertain).
      res.once('close', () => {
        if (!res.complete) reject(new Error('the connection closed before the answer ended'));
      });
    });
    req.end(body);
  });
};

/** The body as bytes: a form (a file upload) is encoded as multipart the way `fetch` would. */
async function encodeBody(init: FetchInit): Promise<{ body?: Buffer; headers: Record<string, string> }> {
  const headers = { ...init.headers };
  if (init.body === undefined) return { headers };
  if (typeof init.body === 'string') return { body: Buffer.from(init.body), headers };
  const encoded = new Request('http://localhost/', { method: 'POST', body: init.body });
  const type = encoded.headers.get('content-type');
  if (type) headers['Content-Type'] = type;
  return { body: Buffer.from(await encoded.arrayBuffer()), headers };
}

function responseOf(url: URL, res: IncomingMessage, body: Buffer): FetchResponse {
  const status = res.statusCode ?? 0;
  const header = (name: string): string | null => {
    const value = res.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? '',
    url: url.toString(),
    headers: {
      get: header,
      entries: () => Object.keys(res.headers).map((name): [string, string] => [name, header(name) ?? '']),
    },
    arrayBuffer: async () =>
      body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')),
  };
}
