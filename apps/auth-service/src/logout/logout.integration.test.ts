import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CookieJar, startAuthService, type TestAuthService } from '../testing';

const password = 'correct horse';
const POST_LOGOUT = 'http://localhost:3002/';
let auth: TestAuthService;
beforeAll(async () => {
  auth = await startAuthService();
  await auth.createUser({ email: 'lou@example.com', password });
  await auth.createUser({ email: 'mallory@example.com', password });
});
afterAll(() => auth.close());

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function requestHint(idToken: string, client: 'user-web' | 'admin-web' = 'user-web', secret?: string) {
  const res = await fetch(`${auth.url}/logout-hint`, {
    method: 'POST',
    headers: {
      authorization: basic(client, secret ?? auth.secrets[client]),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ id_token_hint: idToken }),
  });
  return { status: res.status, body: (await res.json()) as { logout_hint?: string; error?: string } };
}

async function signedIn(email = 'lou@example.com') {
  const result = await auth.signInOverHttp({ clientId: 'user-web', email, password });
  if (!result.ok) throw new Error(`sign-in failed: ${result.status}`);
  return { tokens: result.tokens, jar: result.jar };
}

/** The browser visits end-session with these parameters; returns the page. */
async function visitEndSession(jar: CookieJar, params: Record<string, string>) {
  const url = new URL('/session/end', auth.url);
  url.search = new URLSearchParams(params).toString();
  const res = await fetch(url, { headers: { cookie: jar.header() }, redirect: 'manual' });
  jar.store(res);
  return { status: res.status, page: await res.text(), headers: res.headers };
}

const stillSignedIn = async (refreshToken: string) =>
  (await auth.tokenRequest('user-web', { grant_type: 'refresh_token', refresh_token: refreshToken }))
    .status === 200;

describe('logout hint endpoint', () => {
  it('is advertised in discovery, on the issuer', async () => {
    const discovery = await (await fetch(`${auth.url}/.well-known/openid-configuration`)).json();
    expect(discovery.logout_hint_endpoint).toBe(`${auth.issuer}/logout-hint`);
  });

  it('trades the client’s own ID token for an opaque hint that is not a JWT', async () => {
    const { tokens } = await signedIn();
    const { status, body } = await requestHint(tokens.id_token!);
    expect(status).toBe(200);
    expect(body.logout_hint).toMatch(/^[\w-]{43}$/);
  });

  it('refuses a client without its secret, and an ID token of another client or none at all', async () => {
    const { tokens } = await signedIn();
    expect((await requestHint(tokens.id_token!, 'user-web', 'wrong')).status).toBe(401);
    const other = await requestHint(tokens.id_token!, 'admin-web');
    expect(other.status).toBe(400);
    expect(other.body.error).toBe('invalid_request');
    expect((await requestHint('not.a.jwt')).status).toBe(400);
    const none = await fetch(`${auth.url}/logout-hint`, {
      method: 'POST',
      headers: { authorization: basic('user-web', auth.secrets['user-web']) },
    });
    expect(none.status).toBe(400);
    const anonymous = await fetch(`${auth.url}/logout-hint`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });
});

describe('end-session', () => {
  it('asks for a click on a bare visit (a foreign page, an iframe), and the session survives', async () => {
    const { tokens, jar } = await signedIn();
    const visits: Record<string, string>[] = [
      {},
      { client_id: 'user-web' },
      { client_id: 'user-web', post_logout_redirect_uri: POST_LOGOUT },
    ];
    for (const params of visits) {
      const visit = await visitEndSession(jar, params);
      expect(visit.status).toBe(200);
      expect(visit.page).toContain('Sign out?');
      expect(visit.page).toMatch(
        /<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out<\/button>/,
      );
      expect(visit.page).not.toContain('<script');
      expect(visit.headers.get('content-security-policy')).toContain("script-src 'none'");
      expect(visit.headers.get('x-frame-options')).toBe('DENY');
    }
    expect(await stillSignedIn(tokens.refresh_token!)).toBe(true);
  });

  it('signs out at once with a valid hint for this browser’s session, and the hint works only once', async () => {
    const { tokens, jar } = await signedIn();
    const { body } = await requestHint(tokens.id_token!);
    const params = {
      client_id: 'user-web',
      logout_hint: body.logout_hint!,
      post_logout_redirect_uri: POST_LOGOUT,
    };
    const first = await visitEndSession(jar, params);
    expect(first.page).toContain('Signing out');
    expect(first.page).toMatch(/<script nonce="[^"]+">/);
    const nonce = /<script nonce="([^"]+)">/.exec(first.page)![1]!;
    expect(first.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);

    const replay = await visitEndSession(jar, params);
    expect(replay.page).toContain('Sign out?');
    expect(replay.page).not.toContain('<script');

    // What the page's script does: submit oidc-provider's form with logout=yes (each visit to
    // end-session issues a fresh xsrf value, so the latest page's counts).
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(replay.page)![1]!;
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(first.page)![1]!;
    const done = await fetch(new URL(action, auth.url), {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(POST_LOGOUT);
    expect(await stillSignedIn(tokens.refresh_token!)).toBe(false);
    // The client's sid is on the durable record before the answer, not only in the BFFs' Redis writes.
    const { sub, sid } = JSON.parse(Buffer.from(tokens.id_token!.split('.')[1]!, 'base64url').toString());
    const { rows } = await auth.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM revocations WHERE kind = 'sid' AND subject = $1",
      [JSON.stringify([sub, sid])],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('asks for a click when the hint was issued for somebody else’s session', async () => {
    const victim = await signedIn('lou@example.com');
    const attacker = await signedIn('mallory@example.com');
    const { body } = await requestHint(attacker.tokens.id_token!);
    const visit = await visitEndSession(victim.jar, {
      client_id: 'user-web',
      logout_hint: body.logout_hint!,
    });
    expect(visit.page).toContain('Sign out?');
    expect(visit.page).not.toContain('<script');
    expect(await stillSignedIn(victim.tokens.refresh_token!)).toBe(true);
  });
});

describe('logout session endpoint (a sign-out completed later, server to server)', () => {
  async function endSession(idToken: string, client: 'user-web' | 'admin-web' = 'user-web', secret?: string) {
    const res = await fetch(`${auth.url}/logout-session`, {
      method: 'POST',
      headers: {
        authorization: basic(client, secret ?? auth.secrets[client]),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ id_token_hint: idToken }),
    });
    return { status: res.status, body: (await res.json()) as { ended?: boolean; error?: string } };
  }
  const claimsOf = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string };

  it('is advertised in discovery', async () => {
    const discovery = await (await fetch(`${auth.url}/.well-known/openid-configuration`)).json();
    expect(discovery.logout_session_endpoint).toBe(`${auth.issuer}/logout-session`);
  });

  it('ends the provider session its ID token names: refresh refused, sid recorded as revoked, single sign-on gone', async () => {
    const { tokens, jar } = await signedIn();
    const { sub, sid } = claimsOf(tokens.id_token!);
    const signInAgain = async () => {
      const authorize = await auth.authorizeUrl('user-web', {
        response_type: 'code',
        scope: 'openid',
        redirect_uri: 'http://localhost:3002/api/auth/callback',
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
      });
      const res = await fetch(authorize, { headers: { cookie: jar.header() }, redirect: 'manual' });
      return res.headers.get('location') ?? '';
    };
    expect(await signInAgain()).toMatch(/^http:\/\/localhost:3002\/api\/auth\/callback\?code=/);

    expect(await endSession(tokens.id_token!)).toEqual({ status: 200, body: { ended: true } });
    expect(await stillSignedIn(tokens.refresh_token!)).toBe(false);
    expect(
      (await auth.service.revocation.inspect({ userId: sub, sid, issuedAt: Math.floor(Date.now() / 1000) }))
        .reason,
    ).not.toBeNull();
    const { rows } = await auth.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM revocations WHERE kind = 'sid' AND subject = $1",
      [JSON.stringify([sub, sid])],
    );
    expect(rows[0]?.n).toBe(1);
    // The browser's provider cookie names no session any more: a new sign-in asks for the password.
    expect(await signInAgain()).toMatch(/\/interaction\//);
    // Idempotent: the retry of a retry changes nothing.
    expect(await endSession(tokens.id_token!)).toEqual({ status: 200, body: { ended: false } });
  });

  it('refuses a client without its secret, and an ID token of another client or none at all', async () => {
    const { tokens } = await signedIn();
    expect((await endSession(tokens.id_token!, 'user-web', 'wrong')).status).toBe(401);
    expect((await endSession(tokens.id_token!, 'admin-web')).status).toBe(400);
    expect((await endSession('not-a-jwt')).status).toBe(400);
    expect(await stillSignedIn(tokens.refresh_token!)).toBe(true);
  });
});
