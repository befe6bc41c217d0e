import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvError, parseEnv } from './parse-env';
import { redisEndpointFromEnv, redisEnvShape } from './redis-env';

const schema = z.object(redisEnvShape);
const endpointOf = (source: Record<string, string>) => redisEndpointFromEnv(parseEnv(schema, source));

describe('Redis environment', () => {
  it('defaults to the local single server', () => {
    expect(endpointOf({})).toEqual({ url: 'redis://127.0.0.1:6379' });
  });

  it('reads Sentinel with its master, credentials and TLS', () => {
    expect(
      endpointOf({
        REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26380',
        REDIS_SENTINEL_MASTER: 'main',
        REDIS_PASSWORD: 'pw',
        REDIS_SENTINEL_PASSWORD: 'spw',
        REDIS_TLS: 'true',
      }),
    ).toEqual({
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
      ],
      sentinelMaster: 'main',
      sentinelPassword: 'spw',
      password: 'pw',
      tls: true,
    });
  });

  it('reads Cluster nodes', () => {
    expect(endpointOf({ REDIS_CLUSTER_NODES: 'a:7000,b:7001' })).toEqual({
      clusterNodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ],
    });
  });

  it.each([
    [{ REDIS_SENTINELS: 'nope' }, /REDIS_SENTINELS: must be host:port/],
    [{ REDIS_CLUSTER_NODES: 'a:7000,b' }, /REDIS_CLUSTER_NODES: must be host:port/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL: /],
    [{ REDIS_KEY_PREFIX: 'app{1}:' }, /REDIS_KEY_PREFIX: must not contain/],
    [{ REDIS_TLS: 'yes' }, /REDIS_TLS: /],
  ])('names a bad value: %o', (source, message) => {
    expect(() => endpointOf(source)).toThrow(message);
  });

  it('refuses two topologies at once, and Sentinel without its master', () => {
    const two = () => endpointOf({ REDIS_URL: 'redis://x:6379', REDIS_CLUSTER_NODES: 'a:7000' });
    expect(two).toThrow(EnvError);
    expect(two).toThrow(/REDIS_CLUSTER_NODES: set only one of REDIS_URL, REDIS_CLUSTER_NODES/);
    expect(() => endpointOf({ REDIS_SENTINELS: 'a:26379' })).toThrow(
      /REDIS_SENTINEL_MASTER: required with REDIS_SENTINELS/,
    );
  });
});
