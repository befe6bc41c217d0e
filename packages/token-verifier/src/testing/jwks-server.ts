import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

export interface JwksServer {
  /** Base URL, e.g. http://127.0.0.1:40123. */
  url: string;
  /** `${url}/jwks`. */
  jwksUrl: string;
  /** How many times the key set was fetched. */
  readonly hits: number;
  /** Replaces the published keys (rotation). */
  setKeys(keys: JWK[]): void;
  /** Stops listening: later fetches get "connection refused". */
  close(): Promise<void>;
}

/** A real HTTP server publishing `keys` at `/jwks` on a free port of 127.0.0.1. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let published = keys;
  let hits = 0;
  const server = createServer((req, res) => {
    if (req.url === '/jwks' && req.method === 'GET') {
      hits++;
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      res.end(JSON.stringify({ keys: published }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jwksUrl: `${url}/jwks`,
    get hits() {
      return hits;
    },
    setKeys(next) {
      published = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
