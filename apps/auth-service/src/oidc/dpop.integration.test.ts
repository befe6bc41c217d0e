import { createDpopTestClient } from '@bff-auth/token-verifier/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessDpopKey, startAuthService, type TestAuthService } from '../testing';

/** SPEC §13: the provider binds the BFF clients' access tokens to their DPoP key (RFC 9449). */
describe('DPoP-bound tokens for the BFF clients', () => {
  let auth: TestAuthService;
  const password = 'correct horse';
  const basic = (clientId: 'user-web' | 'admin-web') =>
    `Basic ${Buffer.from(`${clientId}:${auth.secrets[clientId]}`).toString('base64')}`;

  beforeAll(async () => {
    auth = await startAuthService();
    await auth.createUser({ email: 'dora@example.com', password, roles: ['user'] });
  });
  afterAll(async () => auth?.close());

  it('advertises DPoP with ES256 in discovery', async () => {
    const discovery = await (await fetch(`${auth.issuer}/.well-known/openid-configuration`)).json();
    expect(discovery.dpop_signing_alg_values_supported).toContain('ES256');
  });

  it('binds the access token to the key of the proof at the code exchange and at every refresh', async () => {
    const key = await harnessDpopKey();
    const tokens = await auth.signIn('dora@example.com', password);
    expect(tokens.token_type).toBe('DPoP');
    expect(decodeJwt(tokens.access_token!).cnf).toEqual({ jkt: key.jkt });
    const refreshed = await auth.tokenRequest('user-web', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.access_token!).cnf).toEqual({ jkt: key.jkt });
  });

  it('refuses a token request of a BFF client without a proof', async () => {
    const tokens = await auth.signIn('dora@example.com', password);
    const response = await fetch(`${auth.issuer}/token`, {
      method: 'POST',
      headers: { authorization: basic('user-web'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe('invalid_grant');
  });

  it('refuses a proof for another URL or method, and binds to whichever key proves at the refresh', async () => {
    const tokens = await auth.signIn('dora@example.com', password);
    const other = await createDpopTestClient();
    const send = (proof: string) =>
      fetch(`${auth.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: basic('user-web'),
          'content-type': 'application/x-www-form-urlencoded',
          dpop: proof,
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
      });
    expect((await send(await other.proof({ htm: 'POST', htu: `${auth.issuer}/other` }))).status).toBe(400);
    expect((await send(await other.proof({ htm: 'GET', htu: `${auth.issuer}/token` }))).status).toBe(400);
    const good = await send(await other.proof({ htm: 'POST', htu: `${auth.issuer}/token` }));
    expect(good.status).toBe(200);
    expect(decodeJwt((await good.json()).access_token).cnf).toEqual({ jkt: other.jkt });
  });
});
