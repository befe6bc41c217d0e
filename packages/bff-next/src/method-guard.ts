import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** The methods a Next app can serve; anything else is answered 405 before Next sees it. */
export const SERVED_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const served = new Set(SERVED_METHODS);
const ALLOW = SERVED_METHODS.join(', ');
const installed = Symbol.for('@bff-auth/bff-next/method-guard');

const BODY = JSON.stringify({
  status: 'error',
  error: { code: 'method_not_allowed', message: 'Method not allowed' },
});

function refuse(res: ServerResponse) {
  res.writeHead(405, {
    Allow: ALLOW,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(BODY),
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  res.end(BODY);
}

function refuseOnSocket(socket: Duplex) {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${ALLOW}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(BODY)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${BODY}`,
  );
}

/**
 * Answers every HTTP method a Next app does not serve (TRACE, TRACK, PROPFIND, CONNECT, odd tokens…)
 * with 405 and `Allow`, on every HTTP server of this process.
 *
 * Why a patch of `http.Server`: Next builds a WHATWG `Request` for proxy.ts and for route handlers,
 * and undici refuses TRACE, TRACK and CONNECT in that constructor — so those methods end in a 500
 * before any of our code runs; other unknown tokens are refused by Node's parser with a bare 400, and
 * CONNECT closes the connection. `next start` gives no hook before that point except the
 * instrumentation file, which runs in the server process before the first request is handled; call
 * this from its `register()`. Idempotent.
 */
export function installMethodGuard(): void {
  const proto = Server.prototype as Server & { [installed]?: boolean };
  if (proto[installed]) return;
  proto[installed] = true;
  const emit = proto.emit;
  proto.emit = function guardedEmit(this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      if (!served.has(req.method ?? '')) {
        req.resume();
        refuse(res);
        return true;
      }
    } else if (event === 'connection' && this.listenerCount('connect') === 0) {
      // Node destroys a CONNECT's socket without a word unless the server listens for 'connect'.
      this.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseOnSocket(socket));
    } else if (event === 'clientError' && this.listenerCount('clientError') === 0) {
      const [error, socket] = args as [NodeJS.ErrnoException, Duplex];
      // A method token Node's parser does not know: still a method we do not serve.
      if (error?.code === 'HPE_INVALID_METHOD') {
        refuseOnSocket(socket);
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof proto.emit;
}
