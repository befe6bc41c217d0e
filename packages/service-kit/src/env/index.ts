export { devDefault } from './dev-default';
export { flagFromEnv } from './flag-from-env';
export { intFromEnv } from './int-from-env';
export { listFromEnv } from './list-from-env';
export { EnvError, parseEnv } from './parse-env';
export { DEFAULT_REDIS_URL, redisEndpointFromEnv, redisEnvShape } from './redis-env';
export { databaseNamePrefix, LOG_LEVELS, serviceEnvSchema } from './service-env';
