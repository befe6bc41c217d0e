import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { type DpopKeyMaterial, dpopSigner } from '../dpop/dpop-key';
import { BffConfigError, BffError, errorCodes } from '../errors';
import { errorResponse } from '../http/envelope';
import { REQUEST_ID_HEADER } from '../http/request-id';
import type { BffObserver } from '../observe/bff-observer';
import { inSpan } from '../observe/in-span';
import { CallSignal } from './call-signal';
import {
  type BreakerOptions,
  BrokenCircuitError,
  ClientAbortError,
  createUpstreamBreaker,
} from './circuit-breakers';
import {
  DEFAULT_BREAKER_FAILURES,
  DEFAULT_DEADLINES,
  DEFAULT_HALF_OPEN_AFTER_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  KNOWN_DEADLINES,
} from './deadlines';
import { createFallbackCache, type FallbackCache } from './fallback-cache';
import {
  checkHeaderAllowList,
  DEFAULT_REQUEST_HEADER_ALLOW_LIST,
  DEFAULT_RESPONSE_HEADER_ALLOW_LIST,
  pickRequestHeaders,
} from './headers';
import { validatePathParam } from './path-params';
import { buildResponse, type Outcome, unavailable } from './proxy-response';
import { DEFAULT_MAX_QUERY_LENGTH, validateQueryString } from './query-string';
import { backoffDelay, parseRetryAfter, RETRYABLE_STATUSES } from './retry-policy';
import { type CompiledRoute, compileRoutes, fillTemplate, type RouteDefinition } from './route-table';
import {
  createUpstreamClient,
  UpstreamBodyTooLargeError,
  type UpstreamClient,
  type UpstreamRequest,
  UpstreamTimeoutError,
} from './upstream-client';

/** Largest request body passed on (SPEC §6: bodies over 1 MB are refused). */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** One allow-listed upstream. Deadlines default to KNOWN_DEADLINES[name] or DEFAULT_DEADLINES. */
export interface UpstreamDefinition {
  url: string;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  /** Default: opens after DEFAULT_BREAKER_FAILURES (5) failures, half-open after DEFAULT_HALF_OPEN_AFTER_MS (30 s). */
  breaker?: Partial<BreakerOptions>;
  /** Keep-alive connections. Default 32. */
  connections?: number;
}

export interface UpstreamProxyOptions {
  upstreams: Record<string, UpstreamDefinition>;
  routes: Record<string, RouteDefinition>;
  /** Needed when a route declares `fallback: 'cache'`. */
  redis?: RedisClient;
  /** Separates apps sharing one Redis prefix. Default 'bff'. */
  namespace?: string;
  fallbackTtlSeconds?: number;
  /** Request headers allowed in addition to DEFAULT_REQUEST_HEADER_ALLOW_LIST. */
  extraRequestHeaders?: string[];
  /** Response headers allowed in addition to DEFAULT_RESPONSE_HEADER_ALLOW_LIST. */
  extraResponseHeaders?: string[];
  /** Default DEFAULT_MAX_REQUEST_BODY_BYTES. */
  maxRequestBodyBytes?: number;
  /** Longest forwarded query string (414 beyond). Default DEFAULT_MAX_QUERY_LENGTH. */
  maxQueryLength?: number;
  /** Default DEFAULT_RETRY_BASE_DELAY_MS. */
  retryBaseDelayMs?: number;
  random?: () => number;
  /** Told of breaker state changes and fallbacks served (metrics). */
  observer?: Pick<BffObserver, 'breakerState' | 'fallbackServed'>;
}

/** A request whose route and params were checked; nothing has been sent yet. */
export interface PreparedCall {
  route: CompiledRoute;
  path: string;
  query: string;
  request: Request;
}

export interface ForwardContext {
  accessToken: string;
  /**
   * The DPoP key the access token is bound to: then it goes up as `Authorization: DPoP` with a fresh proof
   * (RFC 9449) on every attempt, retries included (an API remembers every proof it has seen).
   */
  dpopKey?: DpopKeyMaterial | undefined;
  /** Whose fallback cache entry this is (the user id). */
  userKey: string;
  requestId: string;
}

export interface UpstreamProxy {
  readonly routes: ReadonlyMap<string, CompiledRoute>;
  /**
   * Checks route, method, params and the forwarded query.
   * @throws BffError 404, 405, 400 (`invalid_param`, `invalid_query`) or 414.
   */
  prepare(
    request: Request,
    routeId: string,
    params?: Record<string, string | string[] | undefined>,
  ): PreparedCall;
  /** Sends the call with deadline, retries, breaker and fallback; always resolves to a Response. */
  forward(call: PreparedCall, context: ForwardContext): Promise<Response>;
  breakerState(upstream: string): 'closed' | 'open' | 'half-open' | 'isolated';
  close(): Promise<void>;
}

/** Waits `ms`, or less when `signal` aborts; leaves no listener behind either way. */
const sleep = (ms: number, signal: CallSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.off('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal.aborted) done();
    else signal.once('abort', done);
  });

/** One configured upstream: its deadlines, breaker and connection pool. */
interface Upstream {
  /** Origin and base path of its URL, without a trailing slash: a DPoP proof's `htu` is this plus the path. */
  base: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  breaker: CircuitBreakerPolicy;
  client: UpstreamClient;
  halfOpenAfterMs: number;
  state: { openedAt: number };
}

/** Creates the declared-routes proxy of SPEC §5. */
export function createUpstreamProxy(options: UpstreamProxyOptions): UpstreamProxy {
  const { redis, namespace = 'bff', maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES } = options;
  const { maxQueryLength = DEFAULT_MAX_QUERY_LENGTH } = options;
  const { retryBaseDelayMs = DEFAULT_RETRY_BASE_DELAY_MS, random = Math.random } = options;
  const requestAllow = new Set([
    ...DEFAULT_REQUEST_HEADER_ALLOW_LIST,
    ...checkHeaderAllowList(options.extraRequestHeaders ?? [], 'extraRequestHeaders'),
  ]);
  const responseAllow = new Set([
    ...DEFAULT_RESPONSE_HEADER_ALLOW_LIST,
    ...checkHeaderAllowList(options.extraResponseHeaders ?? [], 'extraResponseHeaders'),
  ]);

  const upstreams = new Map<string, Upstream>(
    Object.entries(options.upstreams).map(([name, def]) => {
      try {
        new URL(def.url);
      } catch {
        throw new BffConfigError(`upstreams.${name}.url must be an absolute URL`);
      }
      const known = KNOWN_DEADLINES[name] ?? DEFAULT_DEADLINES;
      const deadlines = {
        connectTimeoutMs: def.connectTimeoutMs ?? known.connectTimeoutMs,
        readTimeoutMs: def.readTimeoutMs ?? known.readTimeoutMs,
      };
      const halfOpenAfterMs = def.breaker?.halfOpenAfterMs ?? DEFAULT_HALF_OPEN_AFTER_MS;
      const breaker = createUpstreamBreaker({
        consecutiveFailures: def.breaker?.consecutiveFailures ?? DEFAULT_BREAKER_FAILURES,
        halfOpenAfterMs,
      });
      const state = { openedAt: 0 };
      breaker.onBreak(() => {
        state.openedAt = Date.now();
        options.observer?.breakerState?.(name, 'open');
      });
      if (options.observer?.breakerState) {
        const report = options.observer.breakerState;
        breaker.onHalfOpen(() => report(name, 'half_open'));
        breaker.onReset(() => report(name, 'closed'));
      }
      const client = createUpstreamClient({ url: def.url, ...deadlines, connections: def.connections ?? 32 });
      const url = new URL(def.url);
      const base = `${url.origin}${url.pathname.replace(/\/$/, '')}`;
      return [name, { ...deadlines, base, breaker, client, halfOpenAfterMs, state }] as const;
    }),
  );
  const routes = compileRoutes(options.routes, new Set(upstreams.keys()));
  const needsCache = [...routes.values()].some((r) => r.fallback === 'cache');
  if (needsCache && !redis) throw new BffConfigError("redis is required by routes with fallback: 'cache'");
  const cache: FallbackCache | undefined = redis
    ? createFallbackCache({
        redis,
        namespace,
        ...(options.fallbackTtlSeconds ? { ttlSeconds: options.fallbackTtlSeconds } : {}),
      })
    : undefined;

  /**
   * Sends one call with its retries, inside one deadline. The deadline and the browser's signal are
   * one CallSignal, disposed when the call ends: `AbortSignal.timeout` (and `AbortSignal.any`) keep
   * their timer — and with it the request's whole async context — alive until the deadline passes,
   * thousands of requests deep under load (issue #11).
   */
  async function attempt(
    up: Upstream,
    send: Pick<UpstreamRequest, 'method' | 'path' | 'headers' | 'body'>,
    {
      retries,
      clientSignal,
      upstream,
      routeId,
      prove,
    }: {
      retries: number;
      clientSignal: AbortSignal;
      upstream: string;
      routeId: string;
      /** Makes the `DPoP` header of one attempt, when the token is bound. */
      prove?: (() => string) | undefined;
    },
  ): Promise<Outcome | 'client-aborted'> {
    const started = Date.now();
    const signal = new CallSignal(up.readTimeoutMs, clientSignal);
    let outcome: Outcome = { kind: 'network' };
    try {
      for (let n = 0; ; n++) {
        let delay: number;
        try {
          // Each attempt is a span when the request is traced (its undici client span hangs under it).
          const answer = await inSpan(
            'bff.upstream.attempt',
            () =>
              up.breaker.execute(async () =>
                up.client.send({
                  ...send,
                  headers: prove ? { ...send.headers, dpop: prove() } : send.headers,
                  signal,
                }),
              ),
            { 'bff.upstream': upstream, 'bff.route': routeId, 'bff.upstream.attempt': n },
          );
          outcome = { kind: 'answer', answer };
          if (!RETRYABLE_STATUSES.has(answer.status) || n >= retries) break;
          const retryAfter = answer.headers['retry-after'];
          const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
          delay = Math.max(backoffDelay(n, retryBaseDelayMs, random), retryAfterMs ?? 0);
        } catch (error) {
          if (error instanceof BrokenCircuitError) {
            const left = up.state.openedAt + up.halfOpenAfterMs - Date.now();
            outcome = { kind: 'open', retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
            break;
          }
          if (error instanceof ClientAbortError) return 'client-aborted';
          if (error instanceof UpstreamTimeoutError) outcome = { kind: 'timeout' };
          else if (error instanceof UpstreamBodyTooLargeError) outcome = { kind: 'bad-response' };
          else outcome = { kind: 'network' };
          if (outcome.kind !== 'network' || n >= retries) break;
          delay = backoffDelay(n, retryBaseDelayMs, random);
        }
        // A retry that cannot finish before the deadline only delays the answer.
        if (Date.now() + delay >= started + up.readTimeoutMs) break;
        await sleep(delay, signal);
      }
      return outcome;
    } finally {
      signal.dispose();
    }
  }

  return {
    routes,

    prepare(request, routeId, params = {}) {
      const route = routes.get(routeId);
      if (!route) throw new BffError(404, errorCodes.notFound, 'No such route');
      if (request.method.toUpperCase() !== route.method) {
        throw new BffError(405, errorCodes.methodNotAllowed, 'Method not allowed', {
          headers: { Allow: route.method },
        });
      }
      const values: Record<string, string> = {};
      for (const name of route.paramNames) {
        const raw = params[name];
        values[name] = validatePathParam(
          name,
          Array.isArray(raw) ? raw.join('/') : raw,
          route.params?.[name],
        );
      }
      const url = new URL(request.url);
      return {
        route,
        path: fillTemplate(route.upstreamPath, values),
        query: route.forwardQuery ? validateQueryString(url.search, maxQueryLength) : '',
        request,
      };
    },

    async forward({ route, path, query, request }, { accessToken, dpopKey, userKey, requestId }) {
      const up = upstreams.get(route.upstream)!;
      let body: Uint8Array | undefined;
      if (route.method !== 'GET' && route.method !== 'HEAD') {
        const tooLarge = () =>
          errorResponse(413, errorCodes.payloadTooLarge, 'Request body too large', requestId);
        if (Number(request.headers.get('content-length') ?? 0) > maxRequestBodyBytes) return tooLarge();
        body = new Uint8Array(await request.arrayBuffer());
        if (body.byteLength > maxRequestBodyBytes) return tooLarge();
      }
      const headers = pickRequestHeaders(request.headers, requestAllow);
      headers.authorization = dpopKey ? `DPoP ${accessToken}` : `Bearer ${accessToken}`;
      headers['x-request-id'] = requestId;
      const signer = dpopKey ? dpopSigner(dpopKey) : undefined;
      const htu = `${up.base}${path}`;

      const outcome = await attempt(
        up,
        { method: route.method, path: path + query, headers, body },
        {
          retries: route.retries,
          clientSignal: request.signal,
          upstream: route.upstream,
          routeId: route.id,
          prove: signer && (() => signer.proof(route.method, htu, accessToken)),
        },
      );
      if (outcome === 'client-aborted')
        return errorResponse(499, 'client_closed', 'Client closed the request', requestId);

      const fallbackKey = [route.id, userKey, query] as const;
      if (outcome.kind === 'answer' && outcome.answer.status === 200 && route.fallback === 'cache' && cache) {
        const contentType = outcome.answer.headers['content-type'];
        // Not awaited: the answer the user waits for does not depend on the copy kept for outages.
        void cache.store(...fallbackKey, {
          status: 200,
          contentType: typeof contentType === 'string' ? contentType : null,
          body: outcome.answer.body,
        });
      }
      if (route.fallback === 'cache' && cache && unavailable(outcome)) {
        const cached = await cache.load(...fallbackKey);
        if (cached) {
          options.observer?.fallbackServed?.(route.upstream);
          const h = new Headers({
            'X-BFF-Fallback': 'cache',
            'Cache-Control': 'no-store',
            [REQUEST_ID_HEADER]: requestId,
          });
          if (cached.contentType) h.set('Content-Type', cached.contentType);
          return new Response(Buffer.from(cached.body, 'base64'), { status: cached.status, headers: h });
        }
      }
      return buildResponse(outcome, route.method, responseAllow, requestId);
    },

    breakerState(name) {
      const up = upstreams.get(name);
      if (!up) throw new BffError(404, errorCodes.notFound, `Unknown upstream ${name}`);
      return (['closed', 'open', 'half-open', 'isolated'] as const)[up.breaker.state]!;
    },

    async close() {
      cache?.close();
      await Promise.all([...upstreams.values()].map((u) => u.client.close()));
    },
  };
}
