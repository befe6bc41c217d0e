import { errorHandler, notFoundHandler, requestId } from '@bff-auth/service-kit/http';
import { createLogger } from '@bff-auth/service-kit/logger';
import { Hono } from 'hono';
import { type AccessTokenAuthOptions, type AuthEnv, accessTokenAuth } from '../access-token-auth';
import type { TokenVerifier } from '../token-verifier';

/**
 * A minimal resource server for this package's tests: GET /me answers with the verified identity.
 * `options` go to accessTokenAuth (a rate limit, say).
 */
export function createTestResourceApp(
  verifier: TokenVerifier,
  options: Omit<AccessTokenAuthOptions, 'logger'> = {},
) {
  const logger = createLogger({ name: 'token-verifier-test', level: 'silent' });
  const app = new Hono<AuthEnv>();
  app.use(requestId());
  app.use('/me', accessTokenAuth(verifier, { logger, ...options }));
  app.get('/me', (c) => c.json({ status: 'success', data: c.var.auth }));
  app.onError(errorHandler(logger));
  app.notFound(notFoundHandler);
  return app;
}
