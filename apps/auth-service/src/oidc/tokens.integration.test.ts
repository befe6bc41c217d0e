import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

/** A stand-in BFF endpoint that records the back-channel logout tokens it receives. */
async function startLogoutReceiver() {
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.url === '/api/auth/backchannel-logout') {
        received.push(new URLSearchParams(body).get('logout_token') ?? '');
        res.writeHead(200).end();
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('tokens: refresh, revocation, logout', () => {
  let auth: TestAuthService;
  let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>;
  const password = 'correct horse';

  beforeAll(async () => {
    receiver = await startLogoutReceiver();
    // Reuse detection at its strictest (no reuse grace; refresh-reuse-grace.integration.test.ts covers the grace).
    auth = await startAuthService({ userWebUrl: receiver.url, env: { REFRESH_REUSE_GRACE: '0' } });
    await auth.createUser({ email: 'grace@example.com', password, roles: ['user'] });
  });
  afterAll(async () => {
    await auth.close();
    await receiver.close();
  });

  const refresh = (refreshToken: string) =>
    auth.tokenRequest('user-web', { grant_type: 'refresh_token', refresh_token: refreshToken });

  it('rotates the refresh token on every use', async () => {
    const tokens = await auth.signIn('grace@example.com', password);
    const first = await refresh(tokens.refresh_token!);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(decodeJwt(first.body.access_token!).aud).toBe('user-api');
    const second = await refresh(first.body.refresh_token!);
    expect(second.status).toBe(200);
  });

  it('revokes the whole grant when a used refresh token is presented again', async () => {
    const tokens = await auth.signIn('grace@example.com', password);
    const rotated = await refresh(tokens.refresh_token!);
    expect(rotated.status).toBe(200);

    const replay = await refresh(tokens.refresh_token!);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');

    const successor = await refresh(rotated.body.refresh_token!);
    expect(successor.status).toBe(400);
    expect(successor.body.error).toBe('invalid_grant');
  });

  it('revokes a refresh token (RFC 7009) so it no longer refreshes', async () => {
    const tokens = await auth.signIn('grace@example.com', password);
    const revoke = await fetch(`${auth.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`user-web:${auth.secrets['user-web']}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: tokens.refresh_token!, token_type_hint: 'refresh_token' }),
    });
    expect(revoke.status).toBe(200);
    expect((await refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
  });

  it('introspects its own tokens for the client', async () => {
    const tokens = await auth.signIn('grace@example.com', password);
    const response = await fetch(`${auth.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`user-web:${auth.secrets['user-web']}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: tokens.refresh_token! }),
    });
    expect(await response.json()).toMatchObject({ active: true, client_id: 'user-web' });
  });

  it('ends the session through RP-initiated logout and delivers a valid back-channel logout token', async () => {
    const result = await auth.signInOverHttp({ clientId: 'user-web', email: 'grace@example.com', password });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const sid = decodeJwt(result.tokens.id_token!).sid as string;
    const jar = result.jar;

    const endSession = new URL('/session/end', auth.issuer);
    endSession.search = new URLSearchParams({
      id_token_hint: result.tokens.id_token!,
      post_logout_redirect_uri: `${receiver.url}/`,
    }).toString();
    const confirm = await fetch(endSession, { headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.store(confirm);
    const page = await confirm.text();
    const action = /action="([^"]+)"/.exec(page)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1]!;
    const submit = await fetch(new URL(action, auth.issuer), {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
      redirect: 'manual',
    });
    jar.store(submit);
    let location = submit.headers.get('location')!;
    while (!location.startsWith(receiver.url)) {
      const hop = await fetch(new URL(location, auth.issuer), {
        headers: { cookie: jar.header() },
        redirect: 'manual',
      });
      jar.store(hop);
      location = hop.headers.get('location') ?? `(no redirect: ${hop.status})`;
      if (!hop.headers.get('location')) break;
    }
    expect(location).toBe(`${receiver.url}/`);

    await expect.poll(() => receiver.received.length, { timeout: 5000 }).toBeGreaterThan(0);
    const logoutToken = receiver.received.at(-1)!;
    const { payload, protectedHeader } = await jwtVerify(
      logoutToken,
      createRemoteJWKSet(new URL(`${auth.issuer}/jwks`)),
      {
        issuer: auth.issuer,
        audience: 'user-web',
        algorithms: ['RS256'],
      },
    );
    expect(protectedHeader.typ).toBe('logout+jwt');
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(payload.sid).toBe(sid);
    expect(payload.nonce).toBeUndefined();

    // The refresh token was bound to that provider session: it is gone with it.
    expect((await refresh(result.tokens.refresh_token!)).body.error).toBe('invalid_grant');
  });
});
