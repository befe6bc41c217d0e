import { type ClaimPath, claimPathProblem, DEFAULT_ROLES_CLAIM, parseClaimPath } from '@bff-auth/claims';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { z } from 'zod';
import { BffConfigError } from '../errors';
import type { BffObserver } from '../observe/bff-observer';
import { checkPasswordMap } from '../session/passwords';
import { SESSION_COOKIE_NAMES, SESSION_SAME_SITE, SESSION_TTL_SECONDS } from '../session/session-cookie';
import type { RouteDefinition } from '../upstream/route-table';
import type { UpstreamDefinition } from '../upstream/upstream-proxy';

/** A pino-compatible logger; bff-core never passes it a token or a cookie. */
export interface BffLogger {
  info?(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

const isRedis = (v: unknown): v is RedisClient =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as RedisClient).set === 'function' &&
  typeof (v as RedisClient).duplicate === 'function';

const ms = z.number().int().positive();
const url = z.url({ protocol: /^https?$/ });

const configSchema = z.object({
  /** Presets cookie name, SameSite and session lifetime. Default 'user'. */
  app: z.enum(['user', 'admin']).default('user'),
  /** The app's own origin, e.g. `http://localhost:3002`: CSRF Origin check and default redirect URIs. */
  appOrigin: url,
  issuer: url,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUri: url.optional(),
  postLogoutRedirectUri: url.optional(),
  /** Must include `openid`. Default DEFAULT_SCOPE of the OIDC client. */
  scope: z
    .string()
    .min(1)
    .refine((s) => s.split(' ').includes('openid'), 'must include openid')
    .optional(),
  /** RFC 8707 resource indicator sent in the authorization, code and refresh requests. Default none. */
  resource: z.url().optional(),
  /** `audience` parameter of the authorization request (Auth0's way to name the API). Default none. */
  audience: z.string().min(1).optional(),
  prompt: z.string().nullable().optional(),
  /**
   * Where the user's roles are in the access token (then the ID token): `roles`, `realm_access.roles`,
   * `https://example.com/roles` (`@bff-auth/claims`). Default `roles`.
   */
  rolesClaim: z
    .string()
    .default(DEFAULT_ROLES_CLAIM)
    .superRefine((path, ctx) => {
      const problem = claimPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /**
   * Step-up (RFC 9470): `GET /api/auth/login?max_age=…&acr_values=…` passes these on to the provider when
   * each acr value is one of `acrValues` and `max_age` is whole seconds up to a day; anything else is
   * dropped. Without this option the login ignores both.
   */
  stepUp: z.object({ acrValues: z.array(z.string().min(1)).min(1) }).optional(),
  /** Users without this role get 403 at sign-in and on every request (the admin app: 'admin'). */
  requiredRole: z.string().min(1).optional(),
  /**
   * Fail closed until the revocation state is restored into an empty Redis (the marker our auth service
   * writes). Default true; false with another provider, where nothing writes it.
   */
  requireRestored: z.boolean().default(true),
  allowInsecureRequests: z.boolean().optional(),
  session: z.object({
    passwords: z.record(z.string(), z.string()),
    cookieName: z.string().startsWith('__Host-').optional(),
    sameSite: z.enum(['Lax', 'Strict']).optional(),
    ttlSeconds: z.number().int().min(120).optional(),
    cacheSize: z.number().int().positive().optional(),
  }),
  redis: z.custom<RedisClient>(isRedis, 'must be an ioredis connection'),
  subscriber: z.custom<RedisClient>(isRedis, 'must be an ioredis connection').optional(),
  /** Channel prefix of auth.events. Default: the redis connection's keyPrefix. */
  channelPrefix: z.string().optional(),
  upstreams: z
    .record(
      z.string(),
      z.custom<UpstreamDefinition>((v) => typeof v === 'object' && v !== null),
    )
    .default({}),
  routes: z
    .record(
      z.string(),
      z.custom<RouteDefinition>((v) => typeof v === 'object' && v !== null),
    )
    .default({}),
  refresh: z
    .object({
      skewSeconds: z.number().int().min(0).optional(),
      lockLeaseMs: ms.optional(),
      parkTtlSeconds: z.number().int().positive().optional(),
      waitTimeoutMs: ms.optional(),
    })
    .default({}),
  authServer: z
    .object({
      connectTimeoutMs: ms.optional(),
      readTimeoutMs: ms.optional(),
      jwksTimeoutMs: ms.optional(),
      /** PAR (RFC 9126) when the provider offers it. Default true. */
      pushAuthorizationRequests: z.boolean().optional(),
      /** DPoP-bound access tokens (RFC 9449) when the provider offers ES256 proofs. Default true. */
      dpop: z.boolean().optional(),
    })
    .default({}),
  fallbackTtlSeconds: z.number().int().positive().optional(),
  eventsHeartbeatMs: ms.optional(),
  /** How often an open event stream re-checks its session in Redis. Default DEFAULT_RECHECK_MS (30 s). */
  eventsRecheckMs: ms.optional(),
  /** Open event streams per session and process; more get 429. Default 6. */
  maxEventStreamsPerSession: z.number().int().positive().optional(),
  logger: z.custom<BffLogger>((v) => typeof v === 'object' && v !== null).optional(),
  /** Metrics hooks (refresh outcomes, fail-closed checks, forced sign-outs…); bff-core keeps no metrics. */
  observer: z.custom<BffObserver>((v) => typeof v === 'object' && v !== null).optional(),
});

/** The options of `createBff`. */
export type BffOptions = z.input<typeof configSchema>;

/** Options after validation, with every default filled in. */
export interface BffConfig extends Omit<z.output<typeof configSchema>, 'rolesClaim'> {
  /** The checked roles claim path. */
  rolesClaim: ClaimPath;
  redirectUri: string;
  postLogoutRedirectUri: string;
  cookieName: string;
  sameSite: 'Lax' | 'Strict';
  sessionTtlSeconds: number;
}

/** Validates `createBff` options; the error names the package and every bad option. */
export function parseBffConfig(options: BffOptions): BffConfig {
  const parsed = configSchema.safeParse(options);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `option "${i.path.join('.') || '(root)'}": ${i.message}`);
    throw new BffConfigError(`invalid createBff options\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  checkPasswordMap(c.session.passwords, 'session.passwords');
  const appOrigin = new URL(c.appOrigin).origin;
  if (c.appOrigin.replace(/\/$/, '') !== appOrigin) {
    throw new BffConfigError(`option "appOrigin" must be an origin without a path, e.g. ${appOrigin}`);
  }
  return {
    ...c,
    rolesClaim: parseClaimPath(c.rolesClaim),
    appOrigin,
    redirectUri: c.redirectUri ?? `${appOrigin}/api/auth/callback`,
    postLogoutRedirectUri: c.postLogoutRedirectUri ?? `${appOrigin}/`,
    cookieName: c.session.cookieName ?? SESSION_COOKIE_NAMES[c.app],
    sameSite: c.session.sameSite ?? SESSION_SAME_SITE[c.app],
    sessionTtlSeconds: c.session.ttlSeconds ?? SESSION_TTL_SECONDS[c.app],
  };
}
