import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, type JWTPayload, SignJWT } from 'jose';
import { json, startTestServer, type TestServer } from './http-server';
import { testKeys } from './tokens';

/**
 * A small OpenID Provider for tests. It stands in for the token endpoint (and the few other endpoints
 * bff-core calls) so that tests can count token calls, rotate refresh tokens with reuse detection, and
 * take the provider down. End-to-end tests against the real auth service live elsewhere.
 */
export interface FakeIssuer {
  issuer: string;
  server: TestServer;
  /** Refresh-grant calls received. */
  refreshCalls: number;
  /** Tokens received at the revocation endpoint. */
  revoked: string[];
  /** ID tokens received at the logout_session_endpoint (provider sessions ended server to server). */
  endedSessions: string[];
  /** Grants revoked because a used refresh token came back. */
  revokedGrants: number;
  /** 'ok', 'down' (503 everywhere but discovery/JWKS), 'invalid_grant' (refuses every refresh). */
  mode: 'ok' | 'down' | 'invalid_grant';
  /** The refresh token most recently issued. */
  latestRefreshToken: string;
  /** Delay of the token endpoint. */
  tokenDelayMs: number;
  /** When set, every sign-in gets this provider session id (single sign-on on a session that exists). */
  sessionId: string | null;
  accessTokenTtl: number;
  roles: string[];
  /** Mints a grant directly, as a finished sign-in would. */
  issueGrant(
    userId?: string,
  ): Promise<{ accessToken: string; refreshToken: string; idToken: string; sid: string; exp: number }>;
  /** Signs any JWT with the issuer's key (logout tokens). */
  sign(payload: JWTPayload, header?: { typ?: string }): Promise<string>;
  /** Signs with a key the JWKS does not hold. */
  signWithForeignKey(payload: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

interface Grant {
  userId: string;
  sid: string;
  current: string;
  used: Set<string>;
  revoked: boolean;
}

export async function startFakeIssuer({
  clientId,
  clientSecret,
}: {
  clientId: string;
  clientSecret: string;
}): Promise<FakeIssuer> {
  const { privateKey, publicKey, kid } = await testKeys();
  const foreign = await testKeys();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const codes = new Map<string, { userId: string; nonce: string; challenge: string; redirectUri: string }>();
  const server = await startTestServer();
  const issuer = server.url;

  const sign = (payload: JWTPayload, header: { typ?: string } = {}, key = privateKey, keyId = kid) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: keyId, typ: header.typ ?? 'JWT' }).sign(key);

  const mintTokens = async (grant: Grant, nonce?: string) => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + state.accessTokenTtl;
    const common = { iss: issuer, sub: grant.userId, sid: grant.sid, iat: now, exp };
    const accessToken = await sign(
      {
        ...common,
        aud: 'user-api',
        client_id: clientId,
        roles: state.roles,
        jti: randomUUID(),
        scope: 'openid',
      },
      { typ: 'at+jwt' },
    );
    const idToken = await sign({
      ...common,
      aud: clientId,
      email: `${grant.userId}@example.com`,
      name: `User ${grant.userId}`,
      roles: state.roles,
      ...(nonce ? { nonce } : {}),
    });
    const refreshToken = randomUUID() + randomUUID();
    if (grant.current) grant.used.add(grant.current);
    grant.current = refreshToken;
    state.latestRefreshToken = refreshToken;
    grants.set(refreshToken, grant);
    return { accessToken, refreshToken, idToken, sid: grant.sid, exp };
  };

  const state: FakeIssuer = {
    issuer,
    server,
    refreshCalls: 0,
    revoked: [],
    revokedGrants: 0,
    latestRefreshToken: '',
    mode: 'ok',
    tokenDelayMs: 0,
    sessionId: null,
    endedSessions: [],
    accessTokenTtl: 300,
    roles: ['user'],
    issueGrant: (userId = `user-${randomUUID().slice(0, 8)}`) =>
      mintTokens({ userId, sid: randomUUID(), current: '', used: new Set(), revoked: false }),
    sign: (payload, header) => sign(payload, header),
    signWithForeignKey: (payload) => sign(payload, {}, foreign.privateKey, kid),
    close: () => server.close(),
  };

  server.handler = async (req, res) => {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        revocation_endpoint: `${issuer}/token/revocation`,
        end_session_endpoint: `${issuer}/session/end`,
        logout_session_endpoint: `${issuer}/logout-session`,
        backchannel_logout_supported: true,
        backchannel_logout_session_supported: true,
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
    if (url.pathname === '/auth') {
      // Signs "fake-user" in at once: the real login form is exercised by the end-to-end tests.
      const code = randomUUID();
      codes.set(code, {
        userId: 'fake-user',
        nonce: url.searchParams.get('nonce') ?? '',
        challenge: url.searchParams.get('code_challenge') ?? '',
        redirectUri: url.searchParams.get('redirect_uri') ?? '',
      });
      const target = new URL(url.searchParams.get('redirect_uri') ?? '');
      target.searchParams.set('code', code);
      target.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(303, { location: target.href });
      return res.end();
    }
    if (state.mode === 'down') return json(res, 503, { error: 'temporarily_unavailable' });
    const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    const [id = '', secret = ''] = basic
      .split(':')
      .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
    const form = new URLSearchParams(req.body);
    if (url.pathname === '/token/revocation') {
      state.revoked.push(form.get('token') ?? '');
      res.writeHead(200);
      return res.end();
    }
    if (url.pathname === '/logout-session') {
      state.endedSessions.push(form.get('id_token_hint') ?? '');
      return json(res, 200, { ended: true });
    }
    if (url.pathname !== '/token') return json(res, 404, { error: 'not_found' });
    if (state.tokenDelayMs) await new Promise((r) => setTimeout(r, state.tokenDelayMs));
    if (form.get('grant_type') === 'authorization_code') {
      const pending = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!pending || pending.challenge !== challenge || pending.redirectUri !== form.get('redirect_uri')) {
        return json(res, 400, { error: 'invalid_grant' });
      }
      const grant: Grant = {
        userId: pending.userId,
        sid: state.sessionId ?? randomUUID(),
        current: '',
        used: new Set(),
        revoked: false,
      };
      const t = await mintTokens(grant, pending.nonce);
      return json(res, 200, {
        access_token: t.accessToken,
        refresh_token: t.refreshToken,
        id_token: t.idToken,
        token_type: 'Bearer',
        expires_in: state.accessTokenTtl,
      });
    }
    if (form.get('grant_type') === 'refresh_token') {
      state.refreshCalls++;
      const presented = form.get('refresh_token') ?? '';
      const grant = grants.get(presented);
      if (state.mode === 'invalid_grant' || !grant || grant.revoked)
        return json(res, 400, { error: 'invalid_grant' });
      if (grant.current !== presented) {
        grant.revoked = true;
        state.revokedGrants++;
        return json(res, 400, { error: 'invalid_grant' });
      }
      const t = await mintTokens(grant);
      return json(res, 200, {
        access_token: t.accessToken,
        refresh_token: t.refreshToken,
        id_token: t.idToken,
        token_type: 'Bearer',
        expires_in: state.accessTokenTtl,
      });
    }
    return json(res, 400, { error: 'unsupported_grant_type' });
  };
  return state;
}
