import { isRedisUnavailableError } from '@bff-auth/service-kit/redis';
import type Provider from 'oidc-provider';

/**
 * oidc-provider answers every unexpected error with 500 `server_error`. When the cause is Redis being
 * unreachable (frozen, failing over, gone), the honest answer is 503 with Retry-After — for the pages
 * and for the token endpoint alike (`temporarily_unavailable`, RFC 6749 §4.1.2.1) — so clients retry
 * instead of treating it as a fault of the request.
 */
export function answerOutagesWith503(provider: Provider) {
  const outages = new WeakSet<object>();
  provider.on('server_error', (ctx, error) => {
    if (isRedisUnavailableError(error)) outages.add(ctx);
  });
  provider.use(async (ctx, next) => {
    await next();
    if (!outages.has(ctx) || ctx.status !== 500) return;
    ctx.status = 503;
    ctx.set('Retry-After', '2');
    const body = ctx.body as { error?: unknown } | undefined;
    if (body && typeof body === 'object' && body.error === 'server_error') {
      ctx.body = {
        error: 'temporarily_unavailable',
        error_description: 'the authorization server is temporarily unavailable',
      };
    }
  });
}
