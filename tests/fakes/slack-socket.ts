import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSlackSocket {
  url: string;
  /** Resolves once a client has connected and been greeted. */
  connected(): Promise<void>;
  /** Sends one envelope and resolves with the client's ack. */
  deliver(
    type: 'slash_commands' | 'events_api' | 'interactive',
    payload: Record<string, unknown>,
  ): Promise<SocketAck>;
  close(): Promise<void>;
}

/** A fake Socket Mode endpoint: greets with `hello`, sends envelopes, collects acks. */
export async function startFakeSlackSocket(): Promise<FakeSlackSocket> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  let socket: WebSocket | undefined;
  let ids = 0;
  const waiting = new Map<string, (ack: SocketAck) => void>();
  let onConnect: (() => void) | undefined;
  const connected = new Promise<void>((resolve) => {
    onConnect = resolve;
  });
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      waiting.get(ack.envelope_id)?.(ack);
      waiting.delete(ack.envelope_id);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake', approximate_connection_time: 3600 },
        connection_info: { app_id: 'A1' },
      }),
    );
    onConnect?.();
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/link`,
    connected: () => connected,
    deliver(type, payload) {
      const envelope_id = `env-${++ids}`;
      return new Promise((resolve, reject) => {
        if (!socket) {
          reject(new Error('no socket client connected'));
          return;
        }
        waiting.set(envelope_id, resolve);
        socket.send(
          JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api' }),
        );
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
