import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

/** A user of the stand-in provider: roles go where Keycloak puts realm roles. */
export interface KeycloakLikeUser {
  id: string;
  email: string;
  password: string;
  name: string;
  roles: string[];
}

export interface KeycloakLikeProvider {
  /** `http://localhost:<port>`. */
  issuer: string;
  provider: Provider;
  clientId: string;
  clientSecret: string;
  /** The `aud` its access tokens name for our API (beside Keycloak's usual `account`). */
  apiAudience: string;
  addUser(user: Omit<KeycloakLikeUser, 'id'> & { id?: string }): KeycloakLikeUser;
  /** Counts per grant type of successful token requests (`authorization_code`, `refresh_token`). */
  grants: Record<string, number>;
  close(): Promise<void>;
}

/**
 * A second OpenID provider, shaped like Keycloak rather than our auth service: plain oidc-provider with
 * access tokens of `typ: JWT` whose roles are under `realm_access.roles`, `azp` instead of `client_id`
 * and an audience array; refresh tokens only with `offline_access` (which oidc-provider grants only
 * with `prompt=consent`); no resource indicator expected from the client (the API's audience is the
 * provider's own choice, as a Keycloak audience mapper makes it); no back-channel logout; no logout
 * hint endpoint. Its sign-in page is a bare form (`email`, `password`) and consent is given at once, as
 * for a Keycloak client without "Consent required".
 */
export async function startKeycloakLikeProvider({
  appOrigin,
  accessTokenTtl = 300,
}: {
  /** The BFF's origin: its callback and post-logout URIs are registered. */
  appOrigin: string;
  accessTokenTtl?: number;
}): Promise<KeycloakLikeProvider> {
  const users = new Map<string, KeycloakLikeUser>();
  const byEmail = (email: string) => [...users.values()].find((u) => u.email === email);
  const clientId = 'kc-web';
  const clientSecret = 'kc-web-secret-kc-web-secret';
  const apiAudience = 'user-api';
  // Stands for the API: the provider decides it, the client never names it.
  const apiResource = 'urn:kc:user-api';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'kc-1', alg: 'RS256', use: 'sig' };

  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${appOrigin}/api/auth/callback`],
        post_logout_redirect_uris: [`${appOrigin}/`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: ['kc-cookie-key-kc-cookie-key'] },
    pkce: { required: () => true },
    responseTypes: ['code'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    rotateRefreshToken: true,
    // Keycloak's defaults, near enough (SSO session 10 h, offline session 30 days).
    ttl: {
      AccessToken: accessTokenTtl,
      IdToken: accessTokenTtl,
      Interaction: 600,
      Session: 36_000,
      Grant: 36_000,
      RefreshToken: 30 * 86_400,
    },
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: async () => ({ sub: user.id, email: user.email, email_verified: true, name: user.name }),
      };
    },
    async extraTokenClaims(_ctx, token) {
      const accountId = (token as { accountId?: string }).accountId;
      const user = accountId ? users.get(accountId) : undefined;
      const sid = (token as { sid?: string }).sid;
      return user ? { realm_access: { roles: user.roles }, ...(sid ? { sid } : {}) } : undefined;
    },
    formats: {
      customizers: {
        // Keycloak's access-token shape: typ JWT, azp, an audience array.
        async jwt(_ctx, _token, jwt) {
          jwt.header = { typ: 'JWT' };
          jwt.payload.azp = jwt.payload.client_id;
          delete jwt.payload.client_id;
          jwt.payload.aud = [jwt.payload.aud as string, 'account'];
        },
      },
    },
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      backchannelLogout: { enabled: false },
      // A realm without DPoP (and like Entra ID, which has none): the BFF must fall back to Bearer tokens.
      dPoP: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => apiResource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          audience: apiAudience,
          scope: 'api',
          accessTokenTTL: accessTokenTtl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  };
  const provider = new Provider(issuer, configuration);
  const grants: Record<string, number> = {};
  provider.on('grant.success', (ctx) => {
    const type = String(ctx.oidc.params?.grant_type);
    grants[type] = (grants[type] ?? 0) + 1;
  });
  const oidcListener = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          `<form method="post" action="/interaction/${details.uid}"><label>Email <input name="email"></label>` +
            '<label>Password <input name="password" type="password"></label><button>Sign in</button></form>',
        );
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const user = byEmail(form.get('email') ?? '');
      if (!user || user.password !== form.get('password')) {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('Invalid username or password.');
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.id } });
      return;
    }
    // Consent (asked for by prompt=consent with offline_access): granted at once.
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({
          accountId: details.session!.accountId,
          clientId: String(details.params.client_id),
        });
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(' '));
    // The API's scope, as Keycloak's audience mapper grants it without the client asking.
    grant.addResourceScope(apiResource, 'api');
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId: await grant.save() } },
      {
        mergeWithLastSubmission: true,
      },
    );
  }

  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(error.message);
      });
      return;
    }
    oidcListener(req, res);
  });

  let nextId = 1;
  return {
    issuer,
    provider,
    clientId,
    clientSecret,
    apiAudience,
    grants,
    addUser(user) {
      const full = { ...user, id: user.id ?? `kc-user-${nextId++}` };
      users.set(full.id, full);
      return full;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
