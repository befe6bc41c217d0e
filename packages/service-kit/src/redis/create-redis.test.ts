import { describe, expect, it } from 'vitest';
import { createRedis } from './create-redis';
import { RedisConfigError } from './errors';

describe('createRedis options', () => {
  it.each([
    ['no endpoint', {}],
    ['two endpoints', { url: 'redis://127.0.0.1:1', clusterNodes: [{ host: '127.0.0.1', port: 1 }] }],
    ['sentinels without a master name', { sentinels: [{ host: '127.0.0.1', port: 1 }] }],
    ['a key prefix holding a hash tag', { url: 'redis://127.0.0.1:1', keyPrefix: 'a{b}:' }],
  ])('refuses %s with RedisConfigError before connecting', (_name, options) => {
    let error: unknown;
    try {
      createRedis(options).disconnect();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RedisConfigError);
    expect(error).toMatchObject({ code: 'INVALID_REDIS_CONFIG' });
  });
});
