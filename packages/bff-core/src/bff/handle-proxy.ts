import { checkCsrf } from '../csrf/check-csrf';
import { BffError, errorCodes } from '../errors';
import { withCookies } from '../http/cookies';
import { authenticate, hasRequiredRole, unauthenticatedError } from './authenticate';
import type { BffContext } from './context';
import { errorWithCookies, guarded } from './respond';

/**
 * A declared proxy route: CSRF check, route/method/params validation (400 before any upstream call),
 * session with transparent refresh, then the upstream call with the access token added server side.
 */
export function createProxyHandler(ctx: BffContext) {
  return (
    request: Request,
    routeId: string,
    params?: Record<string, string | string[] | undefined>,
  ): Promise<Response> =>
    guarded(ctx, request, async (requestId) => {
      checkCsrf(request, ctx.config.appOrigin);
      const call = ctx.proxy.prepare(request, routeId, params);
      const outcome = await authenticate(ctx, request, { requestId });
      if (outcome.kind === 'error') return errorWithCookies(outcome.error, requestId, outcome.setCookie);
      if (outcome.kind === 'anonymous')
        return errorWithCookies(unauthenticatedError(outcome.reason), requestId, outcome.setCookie);
      if (!hasRequiredRole(ctx, outcome.session.user.roles)) {
        return errorWithCookies(
          new BffError(403, errorCodes.forbidden, 'Not allowed'),
          requestId,
          outcome.setCookie,
        );
      }
      const response = await ctx.proxy.forward(call, {
        accessToken: outcome.session.data.at,
        dpopKey: outcome.session.data.dk,
        userKey: outcome.session.data.uid,
        requestId,
      });
      return withCookies(response, outcome.setCookie);
    });
}
