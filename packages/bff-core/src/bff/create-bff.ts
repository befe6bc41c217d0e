import { createRevocationStore } from '@bff-auth/revocation';
import { createPendingSignOuts } from '../logout/pending-sign-outs';
import { createLogoutTokenVerifier } from '../oidc/logout-token';
import { createOidcClient } from '../oidc/oidc-client';
import { createTransactionStore } from '../oidc/transaction';
import { createRefresher } from '../refresh/refresh-single-flight';
import { createAuthEventsSubscriber } from '../revocation/auth-events-subscriber';
import { createStreamRegistry } from '../revocation/stream-registry';
import { createSessionStore } from '../session/session-store';
import { createUpstreamProxy } from '../upstream/upstream-proxy';
import { type BffLogger, type BffOptions, parseBffConfig } from './config';
import type { BffContext } from './context';
import { createBackchannelLogoutHandler } from './handle-backchannel-logout';
import { createCallbackHandler } from './handle-callback';
import { createEventsHandler } from './handle-events';
import { createLoginHandler } from './handle-login';
import { createLogoutHandler } from './handle-logout';
import { createProxyHandler } from './handle-proxy';
import { createReadyHandler } from './handle-ready';
import { createSessionHandler, lookupSession, requireSession, type SessionLookup } from './handle-session';
import { createShutdown } from './shutdown';

const silent: BffLogger = { warn() {}, error() {} };

export interface Bff {
  /** `GET /api/auth/login?returnTo=/path`. */
  handleLogin(request: Request): Promise<Response>;
  /** `GET /api/auth/callback`. */
  handleCallback(request: Request): Promise<Response>;
  /** `POST /api/auth/logout` (needs `X-CSRF: 1`). */
  handleLogout(request: Request): Promise<Response>;
  /** `GET /api/auth/session` → `{authenticated, user, expiresAt}`. */
  handleSession(request: Request): Promise<Response>;
  /** `POST /api/auth/backchannel-logout`, called by the provider. */
  handleBackchannelLogout(request: Request): Promise<Response>;
  /** `GET /api/auth/events`, server-sent events. */
  handleEvents(request: Request): Promise<Response>;
  /** `GET /api/ready`: Redis and the provider's discovery reachable; 503 while draining. */
  handleReady(request: Request): Promise<Response>;
  /**
   * Starts the graceful shutdown (SPEC §7), e.g. on SIGTERM: `/api/ready` answers 503 from now on, and
   * every event stream, open or opened later, ends with a `retry:` hint so the browser reconnects elsewhere.
   */
  drain(): void;
  /** A declared route of `routes`, with the framework's path params. */
  handleProxy(
    request: Request,
    routeId: string,
    params?: Record<string, string | string[] | undefined>,
  ): Promise<Response>;
  /**
   * For proxy.ts: the user (never a token), refreshing due tokens, and the Set-Cookie values the caller
   * MUST send on (a rotated refresh token that is not stored ends the session). @throws BffError 503
   */
  getSession(request: Request): Promise<SessionLookup>;
  /**
   * For server components and layouts, which cannot set cookies: the user, never refreshing (proxy.ts
   * refreshed already). `setCookie` is always empty. @throws BffError 503
   */
  readSession(request: Request): Promise<SessionLookup>;
  /** Like getSession; throws BffError 401 without a session and 403 without `requiredRole`. */
  requireSession(request: Request): ReturnType<typeof requireSession>;
  /** The composed parts, for advanced use and tests. */
  readonly context: BffContext;
  /** Closes upstream connection pools and the events subscriber (not the redis passed in). */
  close(): Promise<void>;
}

/**
 * Composes sessions, the OIDC client, refresh single flight, revocation, events and the upstream proxy
 * into Web `Request` → `Response` handlers. Options are validated up front (BffConfigError naming the
 * option). Defaults by `app`: cookie `__Host-user-session` / `__Host-admin-session`, SameSite Lax /
 * Strict, session lifetime 7 days / 12 hours; redirect URI `${appOrigin}/api/auth/callback`;
 * post-logout URI `${appOrigin}/`; refresh 60 s before expiry.
 */
export function createBff(options: BffOptions): Bff {
  const config = parseBffConfig(options);
  const { redis } = config;
  const namespace = config.clientId;
  const passwords = config.session.passwords;
  const oidc = createOidcClient({
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    postLogoutRedirectUri: config.postLogoutRedirectUri,
    resource: config.resource,
    audience: config.audience,
    ...(config.scope ? { scope: config.scope } : {}),
    ...(config.prompt !== undefined ? { prompt: config.prompt } : {}),
    ...(config.allowInsecureRequests !== undefined
      ? { allowInsecureRequests: config.allowInsecureRequests }
      : {}),
    ...config.authServer,
  });
  const revocation = createRevocationStore({
    redis,
    channelPrefix: config.channelPrefix ?? redis.options.keyPrefix ?? '',
    requireRestored: config.requireRestored,
  });
  const observer = config.observer ?? {};
  const logger = config.logger ?? silent;
  const pendingSignOuts = createPendingSignOuts({
    redis,
    namespace,
    passwords,
    oidc,
    logger,
    retryForSeconds: config.sessionTtlSeconds,
  });
  const context: BffContext = {
    config,
    observer,
    oidc,
    revocation,
    logger,
    shutdown: createShutdown(),
    pendingSignOuts,
    sessions: createSessionStore({
      cookieName: config.cookieName,
      sameSite: config.sameSite,
      passwords,
      ttlSeconds: config.sessionTtlSeconds,
      rolesClaim: config.rolesClaim,
      ...(config.session.cacheSize ? { cacheSize: config.session.cacheSize } : {}),
    }),
    transactions: createTransactionStore({ sessionCookieName: config.cookieName, passwords }),
    refresher: createRefresher({
      redis,
      namespace,
      passwords,
      refreshTokens: (refreshToken, dpopKey) => oidc.refresh(refreshToken, dpopKey),
      ...config.refresh,
      ...(observer.refresh ? { onOutcome: observer.refresh } : {}),
    }),
    events: createAuthEventsSubscriber({
      channel: revocation.channel,
      ...(config.subscriber ? { subscriber: config.subscriber } : { redis }),
    }),
    streams: createStreamRegistry(
      config.maxEventStreamsPerSession ? { maxPerSession: config.maxEventStreamsPerSession } : {},
    ),
    proxy: createUpstreamProxy({
      upstreams: config.upstreams,
      routes: config.routes,
      redis,
      namespace,
      ...(config.fallbackTtlSeconds ? { fallbackTtlSeconds: config.fallbackTtlSeconds } : {}),
      observer,
    }),
    verifyLogoutToken: createLogoutTokenVerifier({
      issuer: config.issuer,
      clientId: config.clientId,
      jwks: oidc.jwks,
      redis,
      namespace,
    }),
  };

  const stopRetryingSignOuts = pendingSignOuts.start();

  return {
    context,
    handleLogin: createLoginHandler(context),
    handleCallback: createCallbackHandler(context),
    handleLogout: createLogoutHandler(context),
    handleSession: createSessionHandler(context),
    handleBackchannelLogout: createBackchannelLogoutHandler(context),
    handleEvents: createEventsHandler(context),
    handleProxy: createProxyHandler(context),
    handleReady: createReadyHandler(context),
    drain: () => context.shutdown.drain(),
    getSession: (request) => lookupSession(context, request),
    readSession: (request) => lookupSession(context, request, { refresh: false }),
    requireSession: (request) => requireSession(context, request),
    async close() {
      stopRetryingSignOuts();
      await Promise.all([context.proxy.close(), context.events.close()]);
    },
  };
}
