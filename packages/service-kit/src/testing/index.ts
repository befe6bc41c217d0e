export { type CapturedLogger, createCaptureLogger } from './capture-logger';
export { freePort } from './free-port';
export { type OwnRedisServer, type StartRedisServerOptions, startRedisServer } from './redis-server';
export { createTestRedis, TEST_REDIS_URL, type TestRedis } from './test-redis';
