/** See local-redis.mjs. */
export function localRedisArgs(options: { port: number; dir: string }): string[];
