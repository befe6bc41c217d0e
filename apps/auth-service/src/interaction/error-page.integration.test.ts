import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

let auth: TestAuthService;
beforeAll(async () => {
  auth = await startAuthService();
});
afterAll(() => auth.close());

const authorize = (params: Record<string, string>) => {
  const url = new URL('/auth', auth.url);
  url.search = new URLSearchParams(params).toString();
  return fetch(url, {
    redirect: 'manual',
    headers: { accept: 'text/html', 'x-request-id': 'req-error-page-1' },
  });
};

function expectFriendly(page: string) {
  expect(page).toContain('<link rel="stylesheet" href="/assets/auth.css">');
  expect(page).toContain('We could not sign you in');
  expect(page).not.toMatch(/at \w+ \(|node_modules|Error:|\{"error"/);
}

describe('error pages', () => {
  it('explains an unknown app in plain words with the request id, and no link to an app it does not know', async () => {
    const res = await authorize({ client_id: 'nobody', response_type: 'code', scope: 'openid' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expectFriendly(page);
    expect(page).toContain('This app is not known to the sign-in service.');
    expect(page).toContain('req-error-page-1');
    expect(page).not.toContain('Try again');
  });

  it('links back to a known app ("Try again") when its request was wrong', async () => {
    const res = await authorize({
      client_id: 'user-web',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'https://evil.example/callback',
    });
    expect(res.status).toBe(400);
    const page = await res.text();
    expectFriendly(page);
    expect(page).toContain('The app asked to send you back to an address it has not registered.');
    expect(page).toContain('<a class="button" href="http://localhost:3002/">Try again</a>');
    expect(page).not.toContain('evil.example');
  });

  it('shows an expired sign-in as a page with the request id', async () => {
    const res = await fetch(`${auth.url}/interaction/gone`, { headers: { 'x-request-id': 'req-gone-2' } });
    expect(res.status).toBe(400);
    const page = await res.text();
    expectFriendly(page);
    expect(page).toContain('This sign-in link has expired.');
    expect(page).toContain('req-gone-2');
  });
});
