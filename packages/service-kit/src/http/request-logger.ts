import type { MiddlewareHandler } from 'hono';
import type { Level, Logger } from 'pino';

/**
 * The level of a request's log line: successes are routine (debug), refusals are the caller's
 * business (info), server errors need an operator (warn).
 */
export function requestLogLevel(status: number): Level {
  if (status >= 500) return 'warn';
  if (status >= 400) return 'info';
  return 'debug';
}

/**
 * One line per request: method, path (no query: it may hold codes), status, duration, request id.
 * 2xx and 3xx at debug, 4xx at info, 5xx at warn (requestLogLevel): at the default level a busy API
 * writes only what someone must look at, and nothing is built for a line that is not written.
 */
export function requestLogger(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const level = requestLogLevel(status);
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  };
}
