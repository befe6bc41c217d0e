import { isRedisWritable, type RedisClient } from '@bff-auth/service-kit/redis';
import { fetch as undiciFetch } from 'undici';
import { errorResponse, jsonResponse } from '../http/envelope';
import { REQUEST_ID_HEADER, requestIdOf } from '../http/request-id';
import type { BffContext } from './context';

/** How long `/api/ready` waits for Redis and for the provider's discovery document. */
export const READY_CHECK_TIMEOUT_MS = 2_000;

type Check = 'ok' | 'unreachable';

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);

const outcome = (promise: Promise<unknown>): Promise<Check> =>
  within(promise, READY_CHECK_TIMEOUT_MS).then(
    () => 'ok',
    () => 'unreachable',
  );

/**
 * A write, once the connection is up: a read-only replica (a stale Sentinel or a demoted master) answers
 * PING but cannot take a revocation or a refresh lock, so it is not ready. The BFF is created — its
 * connection opened — by the first request, often this probe: it waits at most READY_CHECK_TIMEOUT_MS
 * for the connection, and leaves no listener behind.
 */
async function writable(redis: RedisClient): Promise<void> {
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        redis.off('end', onEnd);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => done();
      const onEnd = () => done(new Error('redis connection ended'));
      const timer = setTimeout(() => done(new Error('redis not connected in time')), READY_CHECK_TIMEOUT_MS);
      timer.unref();
      redis.once('ready', onReady);
      redis.once('end', onEnd);
    });
  }
  if (!(await isRedisWritable(redis))) throw new Error('redis is read-only or unreachable');
}

/** The discovery document's URL (OIDC Discovery §4: appended to the issuer, path included). */
const discoveryUrl = (issuer: string) => `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;

/**
 * `GET /api/ready`: 200 when Redis answers a PING and the provider's discovery document can be fetched
 * (each within READY_CHECK_TIMEOUT_MS); 503 `not_ready` naming what is unreachable; 503 `draining` at once
 * while the instance shuts down, so the load balancer sends no new traffic here. Never cached.
 */
export function createReadyHandler(ctx: BffContext) {
  return async (request: Request): Promise<Response> => {
    const requestId = requestIdOf(request);
    const headers = { [REQUEST_ID_HEADER]: requestId, 'Retry-After': '1' };
    if (ctx.shutdown.draining) {
      return errorResponse(503, 'draining', 'This instance is shutting down', requestId, headers);
    }
    const [redis, provider] = await Promise.all([
      outcome(writable(ctx.config.redis)),
      outcome(
        // Fetched afresh (the client's copy is cached for good): readiness asks whether the provider answers now.
        undiciFetch(discoveryUrl(ctx.config.issuer), {
          signal: AbortSignal.timeout(READY_CHECK_TIMEOUT_MS),
          redirect: 'manual',
        }).then(async (response) => {
          await response.body?.cancel();
          if (!response.ok) throw new Error(`discovery answered ${response.status}`);
        }),
      ),
    ]);
    if (ctx.shutdown.draining) {
      return errorResponse(503, 'draining', 'This instance is shutting down', requestId, headers);
    }
    if (redis === 'ok' && provider === 'ok') {
      return jsonResponse({ status: 'success', data: { redis, provider } }, 200, {
        [REQUEST_ID_HEADER]: requestId,
      });
    }
    return jsonResponse(
      {
        status: 'error',
        error: {
          code: 'not_ready',
          message: 'A dependency is unreachable',
          requestId,
          details: { redis, provider },
        },
      },
      503,
      headers,
    );
  };
}
