export {
  createRedis,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_PATIENT_COMMAND_TIMEOUT_MS,
  MAX_RECONNECT_DELAY_MS,
  type RedisClient,
  type RedisConnectionOptions,
} from './create-redis';
export { duplicateRedis } from './duplicate-redis';
export { RedisConfigError } from './errors';
export { type HostPort, parseHostPorts, type RedisEndpoint } from './redis-endpoint';
export { isRedisUnavailableError } from './redis-unavailable';
export { isRedisWritable, READY_PROBE_KEY } from './redis-writable';
export { waitForRedis } from './wait-for-redis';
