export { type CapturedLogger, createCaptureLogger } from './capture-logger';
export { freePort } from './free-port';
export { type OwnRedisServer, type StartRedisServerOptions, startRedisServer } from './redis-server';
export {
  REDIS_TOPOLOGIES,
  type RedisTopology,
  type RedisTopologyKind,
  SENTINEL_MASTER_NAME,
  startRedisTopology,
} from './redis-topology';
export { createTestRedis, TEST_COMMAND_TIMEOUT_MS, TEST_REDIS_URL, type TestRedis } from './test-redis';
