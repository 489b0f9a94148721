import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPlaygroundRoutes, type PlaygroundRoutes, type PlaygroundRoutesDeps } from './routes.js';

export interface PlaygroundServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  server: Server;
  routes: PlaygroundRoutes;
  close(): Promise<void>;
}

/**
 * The playground routes alone on their own node:http server: for tests and for trying the page
 * against any `Inbound`. The real product mounts the routes in the one HTTP server instead.
 */
export async function startPlaygroundServer(
  deps: PlaygroundRoutesDeps & { port?: number; host?: string },
): Promise<PlaygroundServer> {
  const routes = createPlaygroundRoutes(deps);
  const server = createServer((req, res) => {
    routes(req, res)
      .then((handled) => {
        if (handled) return;
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ ok: false, error: 'not-found' }));
      })
      .catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ ok: false, error: 'internal', message: String(err) }));
        } else res.end();
      });
  });
  const host = deps.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    routes,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await routes.close();
      // Event streams never end on their own.
      server.closeAllConnections();
      await closed;
    },
  };
}
