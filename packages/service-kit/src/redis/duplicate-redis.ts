import { Cluster, type RedisOptions } from 'ioredis';
import type { RedisClient } from './create-redis';

/**
 * A second connection to the same endpoint with some options changed, e.g. a subscriber (ioredis'
 * `duplicate` takes different arguments on `Redis` and `Cluster`; on a Cluster the options apply to
 * the cluster and, for connection-level ones, to every node).
 */
export function duplicateRedis(redis: RedisClient, overrides: Partial<RedisOptions> = {}): RedisClient {
  const copy =
    redis instanceof Cluster
      ? redis.duplicate([], {
          ...overrides,
          redisOptions: { ...redis.options.redisOptions, ...overrides },
        } as never)
      : redis.duplicate(overrides);
  copy.on('error', () => {});
  return copy;
}
