import { randomUUID } from 'node:crypto';
import { createRedis } from '@bff-auth/service-kit/redis';
import { type OwnRedisServer, startRedisServer } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

/**
 * A frozen Redis (the process stalls, connections stay open) must not hang a sign-in for the length
 * of the freeze: auth-service's connection gives up after its command timeout, like production's
 * (service-kit DEFAULT_PATIENT_COMMAND_TIMEOUT_MS), and answers; once Redis thaws it works again.
 */
describe('auth-service while Redis is frozen', () => {
  let server: OwnRedisServer;
  let auth: TestAuthService;
  const password = 'correct horse';

  beforeAll(async () => {
    server = await startRedisServer();
    const prefix = `freeze:${randomUUID().slice(0, 8)}:`;
    // The production settings of auth-service's connection (main.ts): not fail-fast, default timeout.
    const redis = createRedis({ url: server.url, keyPrefix: prefix, failFast: false, name: 'auth-service' });
    auth = await startAuthService({
      redis: { redis, prefix, url: server.url, cleanup: async () => redis.disconnect() },
    });
    await auth.createUser({ email: 'frozen@example.com', password });
  }, 120_000);
  afterAll(async () => {
    server?.resume();
    await auth?.close();
    await server?.kill();
  });

  it('answers a sign-in attempt instead of hanging for the freeze, then signs in after it', async () => {
    server.pause();
    try {
      // Far longer than the command timeout, far shorter than "forever": the request must be answered.
      const answer = await Promise.race([
        auth.signInOverHttp({ clientId: 'user-web', email: 'frozen@example.com', password }).then(
          (result) => (result.ok ? 'signed-in' : 'refused'),
          () => 'refused',
        ),
        new Promise<string>((resolve) => setTimeout(() => resolve('still hanging'), 30_000)),
      ]);
      expect(answer).toBe('refused');
      // Refused as an outage (503, Retry-After), not as a fault (500): the push of a new sign-in needs Redis.
      const pushed = await auth.pushAuthorization('user-web', {
        response_type: 'code',
        scope: 'openid',
        redirect_uri: 'http://localhost:3002/api/auth/callback',
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
      });
      expect(pushed).toMatchObject({ ok: false, status: 503, body: { error: 'temporarily_unavailable' } });
    } finally {
      server.resume();
    }
    await expect
      .poll(
        async () =>
          (await auth.signInOverHttp({ clientId: 'user-web', email: 'frozen@example.com', password })).ok,
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
  }, 120_000);
});
