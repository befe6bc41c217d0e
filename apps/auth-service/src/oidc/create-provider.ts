import { randomBytes } from 'node:crypto';
import { ACR_VALUES } from '@bff-auth/claims';
import type { RevocationStore } from '@bff-auth/revocation';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { AuthConfig } from '../env';
import { renderErrorPage, tryAgainUrlFor } from '../interaction/error-page';
import { pageCsp } from '../interaction/html';
import { renderLoggedOutPage, renderLogoutConfirmPage, renderSigningOutPage } from '../interaction/views';
import type { KeySet } from '../keys/key-store';
import { LOGOUT_HINT_PATH } from '../logout/logout-hint-route';
import { hintNamesSession, type LogoutHints } from '../logout/logout-hints';
import { LOGOUT_SESSION_PATH } from '../logout/logout-session-route';
import type { AdminTwoStepRule } from '../two-step/admin-two-step';
import type { UserStore } from '../users/user-store';
import type { ArtifactStore } from './artifact-store';
import { buildClients, FIRST_PARTY_CLIENTS, REFRESH_ABSOLUTE_SECONDS, REFRESH_IDLE_SECONDS } from './clients';
import {
  AUTHORIZATION_CODE_TTL_SECONDS,
  ID_TOKEN_TTL_SECONDS,
  INTERACTION_TTL_SECONDS,
  SESSION_TTL_SECONDS,
} from './lifetimes';
import { recordEndedSessions } from './record-ended-sessions';
import { installRefreshReuseGrace } from './refresh-reuse-grace';
import { INTERNAL_AUDIENCE, type Resources } from './resources';
import { providerResponseHeaders } from './response-headers';
import { createStorageAdapter } from './storage-adapter';
import { installTokenExchange } from './token-exchange';
import { signInPolicy } from './two-step-checks';
import { answerOutagesWith503 } from './unavailable-status';

export interface ProviderDeps {
  config: AuthConfig;
  redis: RedisClient;
  /** The provider's durable artefacts (sessions, grants, refresh tokens) in authdb. */
  artifacts: ArtifactStore;
  users: UserStore;
  keys: KeySet;
  resources: Resources;
  logoutHints: LogoutHints;
  /**
   * The durable revocation record: end-session records the sids it signs out; token exchange checks
   * the subject token against it.
   */
  revocation: Pick<RevocationStore, 'revokeSession' | 'inspect'>;
  /** Who must sign in with a second factor (the login prompt's `two_step` check). */
  adminTwoStep: AdminTwoStepRule;
  /** Whether an account has TOTP turned on. */
  hasTwoStep: (accountId: string) => Promise<boolean>;
  logger: Logger;
}

/**
 * The OpenID provider: oidc-provider configured for SPEC §3 and §4. It is rebuilt (cheaply) when the
 * signing keys change; its state lives in authdb (sessions, grants, refresh tokens) and Redis (the
 * short-lived rest), so instances can be swapped at any time.
 */
export function createProvider({
  config,
  redis,
  artifacts,
  users,
  keys,
  resources,
  logoutHints,
  revocation,
  adminTwoStep,
  hasTwoStep,
  logger,
}: ProviderDeps): Provider {
  // oidc-provider refuses outgoing requests to loopback and private addresses (SSRF protection). Our
  // BFFs' back-channel logout endpoints are registered by configuration, not by clients, and run on
  // localhost in development: requests to exactly those origins skip the check, all others keep it.
  const trustedOrigins = new Set([new URL(config.userWebUrl).origin, new URL(config.adminWebUrl).origin]);
  const configuration: Configuration = {
    fetch: (url, options) => {
      const target = new URL(url instanceof Request ? url.url : url);
      return globalThis.fetch(
        url,
        trustedOrigins.has(target.origin) ? ({ ...options, dispatcher: undefined } as RequestInit) : options,
      );
    },
    adapter: createStorageAdapter({ redis, artifacts }),
    clients: buildClients(config),
    jwks: { keys: keys.published.map((k) => k.privateJwk) as never },
    cookies: { keys: config.cookieKeys },
    pkce: { required: () => true },
    responseTypes: ['code'],
    conformIdTokenClaims: false,
    claims: {
      // How the session signed in (SPEC §12): every ID token says it, not only when asked for.
      openid: ['sub', 'acr', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      roles: ['roles'],
    },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'roles'],
    clientBasedCORS: () => false,
    acrValues: ACR_VALUES,
    // Where a BFF trades an ID token for a logout hint, server to server (logout/logout-hint-route.ts).
    discovery: {
      logout_hint_endpoint: `${config.issuer}${LOGOUT_HINT_PATH}`,
      logout_session_endpoint: `${config.issuer}${LOGOUT_SESSION_PATH}`,
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: signInPolicy({ rule: adminTwoStep, accountOf: (id) => users.findById(id), hasTwoStep }),
    },
    rotateRefreshToken: true,
    // Our BFFs keep the session server side; they get a refresh token without offline_access, bound
    // to the provider session so that ending it (logout, admin force logout) ends refresh too.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),

    async findAccount(_ctx, sub) {
      const user = await users.findById(sub);
      if (!user || user.disabled) return undefined;
      return {
        accountId: user.id,
        async claims() {
          return {
            sub: user.id,
            email: user.email,
            email_verified: true,
            name: user.name,
            roles: user.roles,
          };
        },
      };
    },

    async extraTokenClaims(ctx, token) {
      if (!('accountId' in token) || !token.accountId) return undefined;
      const user = await users.findById(token.accountId as string);
      const sid = (token as { sid?: string }).sid;
      // How the session signed in (SPEC §12), from the code or refresh token this access token comes
      // from: oidc-provider keeps `acr`/`amr` on those but not on access tokens.
      const source = (ctx?.oidc.entities.AuthorizationCode ?? ctx?.oidc.entities.RefreshToken) as
        | { acr?: string; amr?: string[]; authTime?: number }
        | undefined;
      // Roles are read at issuance, so a role change shows in the next token. Name and email let an API
      // create a user's first record without calling back.
      return {
        roles: user?.roles ?? [],
        ...(sid ? { sid } : {}),
        ...(user ? { email: user.email, name: user.name } : {}),
        ...(source?.acr ? { acr: source.acr } : {}),
        ...(source?.amr ? { amr: source.amr } : {}),
        ...(source?.authTime ? { auth_time: source.authTime } : {}),
      };
    },

    formats: {
      customizers: {
        // SPEC §3 lists `scope` among the access token's claims. oidc-provider puts in only the resource
        // scopes the authorization request named, and our BFFs ask for OIDC scopes alone, so the token
        // had none. A first-party client is granted its API's scope with every sign-in (loadExistingGrant
        // below), so that scope is what its token carries.
        async jwt(_ctx, token, jwt) {
          const server = (token as { resourceServer?: { scope?: string } }).resourceServer;
          if (jwt.payload.scope || !server?.scope || !FIRST_PARTY_CLIENTS.has(String(token.clientId))) return;
          jwt.payload.scope = server.scope;
        },
      },
    },

    /** First-party clients get a grant for what they ask without a consent screen. */
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (!FIRST_PARTY_CLIENTS.has(client.clientId)) return existing;
      const grant =
        existing ?? new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      for (const [indicator, server] of Object.entries(ctx.oidc.resourceServers ?? {})) {
        if (server.scope) grant.addResourceScope(indicator, server.scope);
      }
      await grant.save();
      return grant;
    },

    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // RFC 9449; the BFF clients must use it (clients.ts: dpop_bound_access_tokens).
      dPoP: { enabled: true },
      // A client may introspect and revoke only the tokens issued to it.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // SPEC §4.4: without a valid single-use logout hint (see logout/) the user confirms with a
        // click, so a foreign page or hidden iframe cannot end the session; with one, the app's own
        // "Sign out" proceeds at once.
        logoutSource: async (ctx, form) => {
          const { client, session, params } = ctx.oidc;
          const hint = typeof params?.logout_hint === 'string' ? params.logout_hint : undefined;
          const record = hint ? await logoutHints.consume(hint) : undefined;
          const started = hintNamesSession(record, {
            clientId: client?.clientId,
            accountId: session?.accountId,
            sid: client ? session?.sidFor(client.clientId) : undefined,
          });
          ctx.type = 'html';
          if (started) {
            const nonce = randomBytes(16).toString('base64');
            ctx.set('Content-Security-Policy', pageCsp(nonce));
            ctx.body = renderSigningOutPage(form, client?.clientName, nonce);
            return;
          }
          if (hint)
            logger.warn({ clientId: client?.clientId }, 'logout hint unknown, used or not for this session');
          const stay =
            typeof params?.post_logout_redirect_uri === 'string'
              ? params.post_logout_redirect_uri
              : undefined;
          ctx.set('Content-Security-Policy', pageCsp());
          ctx.body = renderLogoutConfirmPage(form, client?.clientName, stay);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.set('Content-Security-Policy', pageCsp());
          ctx.type = 'html';
          ctx.body = renderLoggedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, client, oneOf) => oneOf ?? resources.defaultFor(client.clientId),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator, client) => {
          const resource = resources.resolve(indicator, client.clientId);
          return {
            audience: resource.audience,
            scope: resource.scope,
            accessTokenTTL: config.accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },

    ttl: {
      AccessToken: config.accessTokenTtl,
      ClientCredentials: config.accessTokenTtl,
      AuthorizationCode: AUTHORIZATION_CODE_TTL_SECONDS,
      IdToken: ID_TOKEN_TTL_SECONDS,
      Interaction: INTERACTION_TTL_SECONDS,
      Session: SESSION_TTL_SECONDS,
      Grant: SESSION_TTL_SECONDS,
      RefreshToken: (_ctx, token, client) => {
        const absolute =
          REFRESH_ABSOLUTE_SECONDS[client.clientId as keyof typeof REFRESH_ABSOLUTE_SECONDS] ??
          REFRESH_ABSOLUTE_SECONDS.default;
        const age =
          Math.floor(Date.now() / 1000) - (token.iiat ?? token.iat ?? Math.floor(Date.now() / 1000));
        return Math.max(1, Math.min(REFRESH_IDLE_SECONDS, absolute - age));
      },
    },

    async renderError(ctx, out, error) {
      logger.warn({ error: out.error, description: out.error_description, err: error }, 'oidc error page');
      ctx.set('Content-Security-Policy', pageCsp());
      ctx.type = 'html';
      ctx.body = renderErrorPage({
        code: out.error,
        requestId: ctx.get('x-request-id') || undefined,
        tryAgainUrl: tryAgainUrlFor(ctx.oidc?.client),
      });
    },
  };

  const provider = new Provider(config.issuer, configuration);
  // Koa reads X-Forwarded-Proto/-Host only with proxy on; node-router pins both to the issuer on every
  // request (and drops X-Forwarded-For unless TRUST_PROXY), so endpoints always come from AUTH_ISSUER.
  provider.proxy = true;
  provider.use(providerResponseHeaders({ jwksMaxAgeSeconds: Math.floor(config.jwksCacheMaxAgeMs / 1000) }));
  installRefreshReuseGrace(provider, {
    redis,
    logger,
    graceSeconds: config.refreshReuseGraceSeconds,
    accountActive: async (accountId) => {
      const user = await users.findById(accountId);
      return Boolean(user && !user.disabled);
    },
  });

  recordEndedSessions(provider, { revocation, logger });
  // admin-api calls the internal API as the acting admin, through admin-api (SPEC §13).
  installTokenExchange(provider, {
    issuer: config.issuer,
    keys,
    resources,
    users,
    revocation,
    delegations: [
      {
        clientId: 'admin-api',
        subjectAudience: 'admin-api',
        targetAudience: INTERNAL_AUDIENCE,
        requiredRole: 'admin',
      },
    ],
  });
  answerOutagesWith503(provider);
  provider.on('server_error', (_ctx, err) => logger.error({ err }, 'oidc server error'));
  provider.on('backchannel.error', (_ctx, err, client) =>
    logger.warn({ client: client.clientId, err: err.message }, 'back-channel logout delivery failed'),
  );
  provider.on('grant.revoked', (_ctx, grantId) => logger.info({ grantId }, 'grant revoked'));
  return provider;
}
