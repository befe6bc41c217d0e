import { createServiceMetrics } from '@bff-auth/service-kit/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

const password = 'correct horse';

describe('refresh reuse grace: a lost answer does not sign the user out', () => {
  let auth: TestAuthService;
  const metrics = createServiceMetrics({ service: 'auth-service' });
  const reuseCount = async () => (await metrics.reuseDetections.get()).values[0]?.value ?? 0;

  beforeAll(async () => {
    auth = await startAuthService({ telemetry: { metrics } });
    await auth.createUser({ email: 'lost@example.com', password, roles: ['user'] });
  });
  afterAll(() => auth.close());

  const refresh = (refreshToken: string, clientId: 'user-web' | 'admin-web' = 'user-web') =>
    auth.tokenRequest(clientId, { grant_type: 'refresh_token', refresh_token: refreshToken });

  it('answers a replay of the just-rotated token with the very same successor and access token', async () => {
    const tokens = await auth.signIn('lost@example.com', password);
    const lost = await refresh(tokens.refresh_token!);
    expect(lost.status).toBe(200);

    const replay = await refresh(tokens.refresh_token!);
    expect(replay.status).toBe(200);
    expect(replay.body.refresh_token).toBe(lost.body.refresh_token);
    expect(replay.body.access_token).toBe(lost.body.access_token);
    expect(replay.body.expires_in).toBeLessThanOrEqual(lost.body.expires_in as number);

    // The successor is intact: the session goes on as if the first answer had arrived.
    const next = await refresh(replay.body.refresh_token!);
    expect(next.status).toBe(200);
  });

  it('still revokes the grant when the old token comes back after its successor was used', async () => {
    const tokens = await auth.signIn('lost@example.com', password);
    const rotated = await refresh(tokens.refresh_token!);
    const used = await refresh(rotated.body.refresh_token!);
    expect(used.status).toBe(200);

    const before = await reuseCount();
    const replay = await refresh(tokens.refresh_token!);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(await reuseCount()).toBe(before + 1); // auth_refresh_token_reuse_total
    // Reuse detection revoked the whole grant, the newest token included.
    expect((await refresh(used.body.refresh_token!)).body.error).toBe('invalid_grant');
  });

  it('gives another client nothing for a token it did not hold', async () => {
    const tokens = await auth.signIn('lost@example.com', password);
    const rotated = await refresh(tokens.refresh_token!);
    expect(rotated.status).toBe(200);

    const stolen = await refresh(tokens.refresh_token!, 'admin-web');
    expect(stolen.status).toBe(400);
    expect(stolen.body.access_token).toBeUndefined();
  });

  it('gives nothing once the user was signed out everywhere in the meantime', async () => {
    const user = await auth.createUser({ email: 'revoked-meanwhile@example.com', password });
    const tokens = await auth.signIn('revoked-meanwhile@example.com', password);
    expect((await refresh(tokens.refresh_token!)).status).toBe(200);

    await auth.service.sessions.revokeAll(user.id);
    const replay = await refresh(tokens.refresh_token!);
    expect(replay.status).toBe(400);
    expect(replay.body.access_token).toBeUndefined();
  });

  it('gives nothing to a disabled account', async () => {
    const user = await auth.createUser({ email: 'disabled-meanwhile@example.com', password });
    const tokens = await auth.signIn('disabled-meanwhile@example.com', password);
    expect((await refresh(tokens.refresh_token!)).status).toBe(200);

    await auth.service.users.setDisabled(user.id, true);
    const replay = await refresh(tokens.refresh_token!);
    expect(replay.status).toBe(400);
    expect(replay.body.access_token).toBeUndefined();
  });
});

describe('refresh reuse grace: past the grace, reuse detection as before', () => {
  let auth: TestAuthService;

  beforeAll(async () => {
    auth = await startAuthService({ env: { REFRESH_REUSE_GRACE: '1' } });
    await auth.createUser({ email: 'late@example.com', password });
  });
  afterAll(() => auth.close());

  it('revokes the grant when the old token comes back after the grace', async () => {
    const refresh = (refreshToken: string) =>
      auth.tokenRequest('user-web', { grant_type: 'refresh_token', refresh_token: refreshToken });
    const tokens = await auth.signIn('late@example.com', password);
    const rotated = await refresh(tokens.refresh_token!);
    expect(rotated.status).toBe(200);

    // The kept answer lives exactly as long as the grace (Redis EX 1; an expired key reads as absent).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const replay = await refresh(tokens.refresh_token!);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await refresh(rotated.body.refresh_token!)).body.error).toBe('invalid_grant');
  });
});
