/** Thrown by createRedis for options that name no endpoint, several, or a bad one. */
export class RedisConfigError extends Error {
  readonly code = 'INVALID_REDIS_CONFIG';
  constructor(message: string) {
    super(`@bff-auth/service-kit/redis: ${message}`);
    this.name = 'RedisConfigError';
  }
}
