import { waitForRedis } from '@bff-auth/service-kit/redis';
import { type OwnRedisServer, startRedisServer } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpopReplayCache } from './dpop-replay';
import { createUserRateLimiter } from './rate-limit';
import { connectRevocationStore } from './revocation-connection';
import {
  createDpopTestClient,
  createIssuerKeys,
  createTestResourceApp,
  createTokenFactory,
  type DpopTestClient,
  type JwksServer,
  startJwksServer,
  type TokenFactory,
} from './testing';
import { createTokenVerifier } from './token-verifier';

const ISSUER = 'http://issuer.test';
const URL_ME = 'http://api.test/me';
const TOLERANCE_SEC = 1;

/**
 * DPoP requests when the API's Redis fails. The replay cache of proofs lives in Redis only: when Redis
 * comes back empty it has forgotten the proofs of the last minute, so a proof captured before could pass
 * once more — unless the API refuses proofs from before the moment the auth service declared the state
 * restored (its marker's time). And a frozen Redis must give a prompt 503, not a hang.
 */
describe('DPoP requests when Redis restarts empty or freezes (own redis-server)', () => {
  let server: OwnRedisServer;
  let connection: ReturnType<typeof connectRevocationStore>;
  let jwks: JwksServer;
  let tokens: TokenFactory;
  let client: DpopTestClient;
  let app: ReturnType<typeof createTestResourceApp>;
  let verifier: ReturnType<typeof createTokenVerifier>;

  beforeAll(async () => {
    server = await startRedisServer();
    connection = connectRevocationStore({ url: server.url, commandTimeoutMs: 300 });
    await waitForRedis(connection.redis);
    // A deployment whose Redis has held the revocation state for long (`0`: nothing lost).
    await connection.redis.set('revocation:restored', '0');
    const keys = await createIssuerKeys();
    jwks = await startJwksServer([keys.rsa.publicJwk]);
    tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: 'user-api' });
    client = await createDpopTestClient();
    verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: 'user-api',
      jwksUrl: jwks.jwksUrl,
      revocation: connection.store,
      clockToleranceSec: TOLERANCE_SEC,
      dpop: { mode: 'required', replay: createDpopReplayCache({ redis: connection.redis }) },
    });
    app = createTestResourceApp(verifier);
  });

  afterAll(async () => {
    connection?.redis.disconnect();
    await server?.kill();
    await jwks?.close();
  });

  it('refuses a proof seen before the restart, and takes fresh proofs once the state is restored', async () => {
    const token = await tokens.sign({ claims: { cnf: { jkt: client.jkt } } });
    const send = (proof: string) =>
      app.request(URL_ME, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
    const captured = await client.proof({ htm: 'GET', htu: URL_ME, accessToken: token });
    expect((await send(captured)).status).toBe(200);
    expect((await send(captured)).status).toBe(401); // replayed: the cache remembers it

    await server.kill();
    await server.start();
    await expect.poll(() => connection.redis.ping().catch(() => 'down'), { timeout: 5000 }).toBe('PONG');
    // Empty Redis, nothing restored yet: every check fails closed.
    const fresh = () => client.proof({ htm: 'GET', htu: URL_ME, accessToken: token });
    expect((await send(await fresh())).status).toBe(503);

    // What the auth service does after re-applying its durable record.
    await connection.store.markRestored();
    const replay = await send(captured);
    expect(replay.status).toBe(503);
    expect(replay.headers.get('retry-after')).toBe('1');
    expect(await replay.json()).toMatchObject({ error: { code: 'revocation_unavailable' } });

    // A client's fresh proofs pass as soon as their iat is past the restore (and the clock tolerance).
    await expect
      .poll(
        async () => (await send(await client.proof({ htm: 'GET', htu: URL_ME, accessToken: token }))).status,
        {
          timeout: (TOLERANCE_SEC + 3) * 1000,
          interval: 200,
        },
      )
      .toBe(200);
    // …while the captured one stays refused (now by its age or as a replay, never accepted).
    expect((await send(captured)).status).not.toBe(200);
  });

  it('answers 503 while Redis is frozen — the revocation read, the replay record and the rate limit all wait on it — and 200 once it thaws', async () => {
    const limited = createTestResourceApp(verifier, {
      rateLimit: createUserRateLimiter({ redis: connection.redis, keyPrefix: 'rl:frozen' }),
    });
    const token = await tokens.sign({ claims: { cnf: { jkt: client.jkt } } });
    const send = async () =>
      limited.request(URL_ME, {
        headers: {
          authorization: `DPoP ${token}`,
          dpop: await client.proof({ htm: 'GET', htu: URL_ME, accessToken: token }),
        },
      });
    await expect.poll(async () => (await send()).status, { timeout: 10_000, interval: 200 }).toBe(200);

    server.pause(); // SIGSTOP: connections stay open, nothing answers
    try {
      const started = performance.now();
      const res = await send();
      // Bounded by the command timeout (300 ms), not by the freeze: a generous ceiling, not a measurement.
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
    } finally {
      server.resume();
    }
    await expect.poll(async () => (await send()).status, { timeout: 10_000, interval: 200 }).toBe(200);
  });
});
