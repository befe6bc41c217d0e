import { createServer } from 'node:http';
import { EnvError } from '@bff-auth/service-kit/env';
import { MAX_HEADER_BYTES } from '@bff-auth/service-kit/http';
import { createLogger } from '@bff-auth/service-kit/logger';
import { createRedis, waitForRedis } from '@bff-auth/service-kit/redis';
import {
  closeGracefully,
  createDrainState,
  drainAwareListener,
  onShutdown,
} from '@bff-auth/service-kit/service';
import { createAuthService } from './app';
import { openAuthDatabase } from './database';
import { loadEnv } from './env';
import { seedDemoUsers } from './users/seed-demo';

async function main() {
  const config = loadEnv();
  const logger = createLogger({ name: 'auth-service', level: config.logLevel });
  const db = await openAuthDatabase(config);
  const redis = createRedis({
    url: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    failFast: false,
    name: 'auth-service',
  });
  await waitForRedis(redis, 10_000);

  const service = createAuthService({ config, db, redis, logger });
  await service.start();
  if (config.demo.seed) await seedDemoUsers(service.users, config.demo, logger);

  // SPEC §7 on SIGTERM: /ready 503, no new connections, in-flight requests finish, gone within 10 s.
  const drain = createDrainState();
  const server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES },
    drainAwareListener(service.listener, drain),
  );
  server.listen(config.port, config.host, () => {
    logger.info({ issuer: config.issuer, port: config.port, database: db.kind }, 'auth-service ready');
  });

  onShutdown({
    name: 'auth-service',
    logger,
    close: async () => {
      drain.start();
      await closeGracefully(server);
      service.stop();
      await Promise.allSettled([db.close(), redis.quit()]);
    },
  });
}

main().catch((error) => {
  if (error instanceof EnvError) console.error(`auth-service: ${error.message}`);
  else console.error('auth-service failed to start:', error);
  process.exit(1);
});
