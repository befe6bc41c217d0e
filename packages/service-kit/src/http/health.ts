import { Hono } from 'hono';
import { isRedisWritable, type RedisClient } from '../redis';
import { failure, success } from './envelope';

/** The one thing /ready asks of a database. */
export interface Pingable {
  query(sql: string): Promise<unknown>;
}

/** How long /ready waits for the database and Redis before calling them unreachable. */
export const READY_CHECK_TIMEOUT_MS = 2_000;

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);

/**
 * GET /health: the process is alive. GET /ready: the database answers and Redis accepts a write (503
 * otherwise, `redis: 'read-only'` when it answers but refuses writes, as a demoted master does).
 */
export function healthRoutes({ db, redis }: { db: Pingable; redis: Pick<RedisClient, 'set' | 'ping'> }) {
  const app = new Hono();
  app.get('/health', (c) => success(c, { alive: true }));
  app.get('/ready', async (c) => {
    const [database, cache] = await Promise.all([
      within(db.query('SELECT 1'), READY_CHECK_TIMEOUT_MS).then(
        () => 'ok' as const,
        () => 'unreachable' as const,
      ),
      within(redisState(redis), READY_CHECK_TIMEOUT_MS).catch(() => 'unreachable' as const),
    ]);
    if (database === 'ok' && cache === 'ok') return success(c, { database, redis: cache });
    return failure(c, 503, 'not_ready', 'A dependency is unreachable', { database, redis: cache });
  });
  return app;
}

async function redisState(redis: Pick<RedisClient, 'set' | 'ping'>) {
  if (await isRedisWritable(redis)) return 'ok' as const;
  // It does not take a write: tell a refusing server from an absent one.
  return (await redis.ping().then(
    () => true,
    () => false,
  ))
    ? ('read-only' as const)
    : ('unreachable' as const);
}
