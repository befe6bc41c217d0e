import { errors, Pool } from 'undici';
import type { CallSignal } from './call-signal';
import { ClientAbortError } from './circuit-breakers';
import type { Deadlines } from './deadlines';

/** One upstream answer, body read in full (BFF payloads are small JSON documents). */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The upstream did not answer in time: the BFF answers 504. */
export class UpstreamTimeoutError extends Error {
  constructor(cause?: unknown) {
    super('upstream deadline exceeded', { cause });
    this.name = 'UpstreamTimeoutError';
  }
}

/** Connection refused/reset/closed, or a connect timeout: worth a retry for GET/HEAD. */
export class UpstreamNetworkError extends Error {
  constructor(cause?: unknown) {
    super('upstream unreachable', { cause });
    this.name = 'UpstreamNetworkError';
  }
}

/** The upstream sent more than the body limit. */
export class UpstreamBodyTooLargeError extends Error {
  constructor() {
    super('upstream response too large');
    this.name = 'UpstreamBodyTooLargeError';
  }
}

export interface UpstreamClientOptions extends Deadlines {
  /** Base URL, e.g. `http://localhost:8001`. Only its origin is used for connections. */
  url: string;
  /** Keep-alive connections per upstream. Default 32. */
  connections?: number;
  /** Largest response body accepted. Default 10 MiB. */
  maxResponseBytes?: number;
}

export interface UpstreamRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | undefined;
  /** Aborted at the overall deadline (reason `deadline`) or when the browser goes away (`client`). */
  signal: CallSignal;
}

export interface UpstreamClient {
  send(request: UpstreamRequest): Promise<UpstreamAnswer>;
  close(): Promise<void>;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * A keep-alive undici Pool to one upstream with its connect and read deadlines. Redirects are never
 * followed (undici's `request` does not follow them); the caller decides what a 3xx means.
 */
export function createUpstreamClient({
  url,
  connectTimeoutMs,
  readTimeoutMs,
  connections = 32,
  maxResponseBytes = 10 * 1024 * 1024,
}: UpstreamClientOptions): UpstreamClient {
  const base = new URL(url);
  const basePath = base.pathname.replace(/\/$/, '');
  const pool = new Pool(base.origin, {
    connections,
    connectTimeout: connectTimeoutMs,
    headersTimeout: readTimeoutMs,
    bodyTimeout: readTimeoutMs,
    keepAliveTimeout: 10_000,
  });

  return {
    async send({ method, path, headers, body, signal }) {
      try {
        const res = await pool.request({
          method: method as 'GET',
          path: basePath + path,
          headers,
          body,
          signal,
        });
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxResponseBytes) {
          res.body.destroy();
          throw new UpstreamBodyTooLargeError();
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body) {
          size += (chunk as Buffer).length;
          if (size > maxResponseBytes) {
            res.body.destroy();
            throw new UpstreamBodyTooLargeError();
          }
          chunks.push(chunk as Buffer);
        }
        return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
      } catch (error) {
        if (error instanceof UpstreamBodyTooLargeError) throw error;
        if (signal.why === 'deadline') throw new UpstreamTimeoutError(error);
        if (signal.why === 'client') throw new ClientAbortError();
        const code = (error as { code?: string }).code ?? '';
        if (TIMEOUT_CODES.has(code)) throw new UpstreamTimeoutError(error);
        if (error instanceof errors.UndiciError || error instanceof Error)
          throw new UpstreamNetworkError(error);
        throw error;
      }
    },
    close: () => pool.close(),
  };
}
