import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, pushAuthorizationRequest, TEST_SECRETS } from '../testing';

/**
 * Opens the sign-in page of a fresh authorization request, like a browser, and returns a function that
 * posts any form body to it (with the browser's cookies): parallel and hostile attempts in tests.
 */
export async function openSignInForm(issuer: string, clientId: 'user-web' | 'admin-web' = 'user-web') {
  const jar = new CookieJar();
  // Pushed first (PAR), as the BFFs do: the provider requires it of them.
  const pushed = await pushAuthorizationRequest(
    { issuer, clientId, clientSecret: TEST_SECRETS[clientId] },
    {
      response_type: 'code',
      redirect_uri: `http://localhost:${clientId === 'user-web' ? 3002 : 3003}/api/auth/callback`,
      scope: 'openid email profile roles',
      state: randomBytes(8).toString('hex'),
      code_challenge: createHash('sha256').update(randomBytes(32)).digest('base64url'),
      code_challenge_method: 'S256',
    },
  );
  if (!pushed.ok) throw new Error(`PAR refused: ${pushed.status} ${JSON.stringify(pushed.body)}`);
  const authorize = pushed.url;
  let response = await fetch(authorize, { redirect: 'manual' });
  jar.store(response);
  const location = response.headers.get('location');
  if (!location) throw new Error(`no redirect to the sign-in page: ${response.status}`);
  response = await fetch(new URL(location, issuer), { headers: { cookie: jar.header() } });
  const action = /<form method="post" action="([^"]+)"/.exec(await response.text())?.[1];
  if (!action) throw new Error('no sign-in form');
  const url = new URL(action, issuer);
  return {
    url,
    jar,
    /** POSTs a raw urlencoded body (so tests can send bytes a URLSearchParams would not produce). */
    post: async (body: string) => {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      return { status: res.status, page: await res.text(), headers: res.headers };
    },
    attempt: (email: string, password: string) =>
      fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email, password }).toString(),
      }).then(async (res) => ({ status: res.status, page: await res.text() })),
  };
}
