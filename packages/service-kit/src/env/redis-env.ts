import { z } from 'zod';
import { parseHostPorts, type RedisEndpoint } from '../redis/redis-endpoint';
import { EnvError } from './parse-env';

/** REDIS_URL when neither Sentinel nor Cluster is configured. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const hostPorts = z.string().transform((value, ctx) => {
  try {
    return parseHostPorts(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be host:port[,host:port…]' });
    return z.NEVER;
  }
});
const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

/**
 * The Redis variables every service and BFF reads (SPEC §9), as a zod shape to spread into the app's
 * schema: REDIS_URL (redis:// or rediss://), or REDIS_SENTINELS + REDIS_SENTINEL_MASTER, or
 * REDIS_CLUSTER_NODES; REDIS_PASSWORD, REDIS_USERNAME, REDIS_SENTINEL_PASSWORD, REDIS_TLS for the
 * latter two; REDIS_KEY_PREFIX (default empty, no `{`). `redisEndpointFromEnv` turns them into an endpoint.
 */
export const redisEnvShape = {
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_SENTINELS: hostPorts.optional(),
  REDIS_SENTINEL_MASTER: z.string().min(1).optional(),
  REDIS_CLUSTER_NODES: hostPorts.optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  REDIS_TLS: flag,
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[^{}]*$/, 'must not contain { or } (they would become a hash tag)')
    .default(''),
};

type RedisEnv = {
  REDIS_URL?: string | undefined;
  REDIS_SENTINELS?: { host: string; port: number }[] | undefined;
  REDIS_SENTINEL_MASTER?: string | undefined;
  REDIS_CLUSTER_NODES?: { host: string; port: number }[] | undefined;
  REDIS_PASSWORD?: string | undefined;
  REDIS_USERNAME?: string | undefined;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
  REDIS_TLS?: boolean | undefined;
};

/**
 * The endpoint the parsed variables describe, for `createRedis` (REDIS_URL DEFAULT_REDIS_URL when none).
 * @throws EnvError when more than one topology is set, or REDIS_SENTINELS lacks REDIS_SENTINEL_MASTER.
 */
export function redisEndpointFromEnv(env: RedisEnv): RedisEndpoint {
  const given = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter((k) => env[k]);
  const issues: string[] = [];
  if (given.length > 1) issues.push(`${given[1]}: set only one of ${given.join(', ')}`);
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_MASTER) {
    issues.push('REDIS_SENTINEL_MASTER: required with REDIS_SENTINELS');
  }
  if (issues.length) throw new EnvError(issues);
  const credentials = {
    ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
    ...(env.REDIS_USERNAME ? { username: env.REDIS_USERNAME } : {}),
    ...(env.REDIS_TLS ? { tls: true } : {}),
  };
  if (env.REDIS_SENTINELS) {
    return {
      sentinels: env.REDIS_SENTINELS,
      sentinelMaster: env.REDIS_SENTINEL_MASTER,
      ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
      ...credentials,
    };
  }
  if (env.REDIS_CLUSTER_NODES) return { clusterNodes: env.REDIS_CLUSTER_NODES, ...credentials };
  return { url: env.REDIS_URL ?? DEFAULT_REDIS_URL, ...credentials };
}
