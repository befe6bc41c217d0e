import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrate } from '@bff-auth/db';
import { createLogger } from '@bff-auth/service-kit/logger';
import { type RedisTopology, startRedisTopology } from '@bff-auth/service-kit/testing';
import { connectRevocationStore, createTokenVerifier } from '@bff-auth/token-verifier';
import {
  createIssuerKeys,
  createTokenFactory,
  type JwksServer,
  startJwksServer,
  TEST_ISSUER,
} from '@bff-auth/token-verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, USER_API_AUDIENCE } from './app';

const FAILOVER_USER = 'failover-user';
type Fault = [name: string, run: (topology: RedisTopology) => Promise<void>];

/**
 * user-api on Redis Sentinel, and on a Redis Cluster with replicas, while a master fails over under
 * traffic: every answer is 200 or a clean 503 (fail closed), never a 500; the service reaches the new
 * master by itself, and /ready says 200 again afterwards.
 */
const FAILOVERS: [label: string, kind: 'sentinel' | 'cluster', faults: Fault[]][] = [
  [
    'Sentinel',
    'sentinel',
    [
      ['SENTINEL FAILOVER', (t) => t.failover()],
      ['the master killed', (t) => t.killMaster()],
    ],
  ],
  // The master of the slot the user's revocation keys live in (hash tag {u:<id>}).
  [
    'Cluster',
    'cluster',
    [
      ['CLUSTER FAILOVER', (t) => t.failover(`{u:${FAILOVER_USER}}`)],
      ['the master killed', (t) => t.killMaster(`{u:${FAILOVER_USER}}`)],
    ],
  ],
];

describe.each(FAILOVERS)('user-api through a %s failover', (_label, kind, faults) => {
  let topology: RedisTopology;
  let jwks: JwksServer;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let bearer: string;
  let disconnect: () => void;

  beforeAll(async () => {
    topology = await startRedisTopology(kind, { replicas: kind === 'cluster' });
    const keys = await createIssuerKeys();
    jwks = await startJwksServer([keys.rsa.publicJwk]);
    const prefix = `user-api-failover:${randomUUID().slice(0, 8)}:`;
    const connection = connectRevocationStore({ ...topology.endpoint, keyPrefix: prefix, name: 'user-api' });
    disconnect = () => connection.redis.disconnect();
    await connection.store.markRestored(); // what the auth service does once Redis holds everything
    db = await createTestDatabase('user_api_failover');
    await migrate(db, fileURLToPath(new URL('../migrations', import.meta.url)));
    const verifier = createTokenVerifier({
      issuer: TEST_ISSUER,
      audience: USER_API_AUDIENCE,
      jwksUrl: jwks.jwksUrl,
      revocation: connection.store,
    });
    app = createApp({
      db,
      redis: connection.redis,
      verifier,
      logger: createLogger({ name: 'user-api', level: 'silent' }),
      rateLimit: { points: 1_000_000, durationSec: 3600 },
    });
    const tokens = createTokenFactory({ key: keys.rsa, issuer: TEST_ISSUER, audience: USER_API_AUDIENCE });
    bearer = `Bearer ${await tokens.sign({ claims: { sub: FAILOVER_USER } })}`;
  }, 60_000);
  afterAll(async () => {
    disconnect?.();
    await db?.cleanup();
    await jwks?.close();
    await topology?.stop();
  });

  /** GETs the profile every few ms until stopped, counting the statuses. */
  function traffic() {
    const statuses: number[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        const res = await app.request('/api/v1/profiles/me', { headers: { authorization: bearer } });
        statuses.push(res.status);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    return {
      statuses,
      okCount: () => statuses.filter((s) => s === 200).length,
      async stop() {
        running = false;
        await loop;
      },
    };
  }

  it.each(faults)(
    'answers 200 or 503, never 500, through %s, and follows the new master',
    async (_name, fault) => {
      expect((await app.request('/api/v1/profiles/me', { headers: { authorization: bearer } })).status).toBe(
        200,
      );
      const load = traffic();
      await fault(topology);
      const okAtSwitch = load.okCount();
      await expect.poll(() => load.okCount(), { timeout: 15_000 }).toBeGreaterThan(okAtSwitch + 20);
      await load.stop();
      expect(load.statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(load.statuses.at(-1)).toBe(200);
      expect((await app.request('/ready')).status).toBe(200);
    },
    60_000,
  );
});
