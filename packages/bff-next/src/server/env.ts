import { claimPathProblem, DEFAULT_ROLES_CLAIM } from '@bff-auth/claims';
import {
  devDefault,
  flagFromEnv,
  parseEnv,
  redisEndpointFromEnv,
  redisEnvShape,
} from '@bff-auth/service-kit/env';
import type { RedisEndpoint } from '@bff-auth/service-kit/redis';
import { telemetryEnvShape } from '@bff-auth/service-kit/telemetry';
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });

/** Development defaults; `NODE_ENV=production` refuses them (secrets) or they are harmless (URLs). */
const DEV = {
  user: { origin: 'http://localhost:3002', api: 'http://localhost:8001', secret: 'dev-user-web-secret' },
  admin: { origin: 'http://localhost:3003', api: 'http://localhost:8003', secret: 'dev-admin-web-secret' },
} as const;

/**
 * `id:password` pairs separated by commas, e.g. `2:new…,1:old…`; the highest id seals, all unseal
 * (iron-session's password map). A bare value is password 1. Each password needs 32+ characters.
 */
const passwordMap = z.string().transform((value, ctx) => {
  const map: Record<string, string> = {};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(\d+):(.+)$/.exec(part);
    const [id, password] = match ? [match[1]!, match[2]!] : ['1', part];
    if (password.length < 32) {
      ctx.addIssue({ code: 'custom', message: `password ${id} must be at least 32 characters` });
      return z.NEVER;
    }
    map[id] = password;
  }
  if (!Object.keys(map).length) {
    ctx.addIssue({ code: 'custom', message: 'needs at least one password' });
    return z.NEVER;
  }
  return map;
});

export type AppKind = 'user' | 'admin';

/**
 * Scopes asked of the provider by default. `roles` puts the user's roles into the ID token; our auth
 * service issues refresh tokens without `offline_access` (most other providers need it: add it to
 * `*_WEB_SCOPE`, and the BFF asks with `prompt=consent`, as OIDC Core §11 says).
 */
export const DEFAULT_BFF_SCOPE = 'openid email profile roles';

const scope = z
  .string()
  .transform((s) => s.split(/\s+/).filter(Boolean).join(' '))
  .refine((s) => s.split(' ').includes('openid'), 'must include openid (space-separated scopes)');

const rolesClaim = z
  .string()
  .default(DEFAULT_ROLES_CLAIM)
  .superRefine((path, ctx) => {
    const problem = claimPathProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * Reads one BFF app's configuration: `USER_WEB_*` / `ADMIN_WEB_*` plus the shared variables. The
 * provider settings (client id, scope, resource or audience, roles claim) default to our auth service's.
 */
export function loadBffEnv(app: AppKind, source: Record<string, string | undefined> = process.env) {
  const p = app === 'user' ? 'USER' : 'ADMIN';
  const schema = z.object({
    AUTH_ISSUER: url.default('http://localhost:8002'),
    ...redisEnvShape,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Seconds before access-token expiry at which the BFF refreshes (SPEC §4.3: 60). */
    BFF_REFRESH_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(60),
    /**
     * `true` (default): bind access tokens to a per-session key with DPoP (RFC 9449) when the provider
     * offers it; `false` for APIs that only take Bearer tokens.
     */
    AUTH_DPOP: z.enum(['true', 'false']).default('true'),
    [`${p}_WEB_URL`]: url.default(DEV[app].origin),
    [`${p}_API_URL`]: url.default(DEV[app].api),
    [`${p}_WEB_CLIENT_ID`]: z.string().min(1).default(`${app}-web`),
    [`${p}_WEB_CLIENT_SECRET`]: devDefault(DEV[app].secret),
    [`${p}_WEB_SCOPE`]: scope.default(DEFAULT_BFF_SCOPE),
    /** RFC 8707 resource indicator of the app's API; unset: the client's default resource. */
    [`${p}_WEB_RESOURCE`]: z.url().optional(),
    /** Auth0's `audience` parameter naming the app's API; unset: none sent. */
    [`${p}_WEB_AUDIENCE`]: z.string().min(1).optional(),
    /** Where the roles are in the tokens: `roles`, `realm_access.roles`, `https://example.com/roles`. */
    AUTH_ROLES_CLAIM: rolesClaim,
    /** Fail closed until our auth service restored the revocation state into an empty Redis. */
    REVOCATION_REQUIRE_RESTORED: flagFromEnv(true),
    [`${p}_WEB_SESSION_PASSWORDS`]: devDefault(`1:dev-${app}-web-session-password-change-me-0123456789`).pipe(
      passwordMap,
    ),
    ...telemetryEnvShape,
  });
  const env = parseEnv(schema, source) as Record<string, unknown>;
  return {
    issuer: String(env.AUTH_ISSUER).replace(/\/$/, ''),
    /** Single server, Sentinel or Cluster (SPEC §9). */
    redis: redisEndpointFromEnv(env) as RedisEndpoint,
    redisKeyPrefix: String(env.REDIS_KEY_PREFIX),
    logLevel: String(env.LOG_LEVEL),
    refreshSkewSeconds: Number(env.BFF_REFRESH_SKEW_SECONDS),
    dpop: env.AUTH_DPOP === 'true',
    appOrigin: new URL(String(env[`${p}_WEB_URL`])).origin,
    apiUrl: String(env[`${p}_API_URL`]).replace(/\/$/, ''),
    clientId: String(env[`${p}_WEB_CLIENT_ID`]),
    clientSecret: String(env[`${p}_WEB_CLIENT_SECRET`]),
    scope: String(env[`${p}_WEB_SCOPE`]),
    resource: env[`${p}_WEB_RESOURCE`] as string | undefined,
    audience: env[`${p}_WEB_AUDIENCE`] as string | undefined,
    rolesClaim: String(env.AUTH_ROLES_CLAIM),
    requireRestored: env.REVOCATION_REQUIRE_RESTORED as boolean,
    sessionPasswords: env[`${p}_WEB_SESSION_PASSWORDS`] as Record<string, string>,
    /** Unset: GET /api/metrics refuses every request. */
    metricsToken: env.METRICS_TOKEN as string | undefined,
  };
}
export type BffEnv = ReturnType<typeof loadBffEnv>;
