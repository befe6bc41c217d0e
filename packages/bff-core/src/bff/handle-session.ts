import { BffError, errorCodes } from '../errors';
import { jsonResponse } from '../http/envelope';
import type { SessionUser } from '../session/session-data';
import {
  type AuthenticateOptions,
  authenticate,
  hasRequiredRole,
  unauthenticatedError,
} from './authenticate';
import type { BffContext } from './context';
import { errorWithCookies, guarded } from './respond';

/** What pages and `/api/auth/session` learn about the session: never a token. */
export interface SessionInfo {
  authenticated: boolean;
  user: SessionUser | null;
  /** When the current access token expires (ISO 8601); it is refreshed transparently before that. */
  expiresAt: string | null;
}

/** For server-rendered pages: the session plus Set-Cookie values to apply when a refresh happened. */
export interface SessionLookup extends SessionInfo {
  setCookie: string[];
}

/**
 * Looks the request's session up, with refresh unless `options.refresh` is false.
 * @throws BffError 503 when it cannot be decided.
 */
export async function lookupSession(
  ctx: BffContext,
  request: Request,
  options: AuthenticateOptions = {},
): Promise<SessionLookup> {
  const outcome = await authenticate(ctx, request, options);
  if (outcome.kind === 'error') {
    if (outcome.error.code === errorCodes.sessionExpired) {
      return { authenticated: false, user: null, expiresAt: null, setCookie: outcome.setCookie };
    }
    throw outcome.error;
  }
  if (outcome.kind === 'anonymous')
    return { authenticated: false, user: null, expiresAt: null, setCookie: outcome.setCookie };
  const { data, user } = outcome.session;
  return {
    authenticated: true,
    user,
    expiresAt: new Date(data.ate * 1000).toISOString(),
    setCookie: outcome.setCookie,
  };
}

/** Like lookupSession, but a missing session is 401 and a missing `requiredRole` 403. */
export async function requireSession(
  ctx: BffContext,
  request: Request,
): Promise<SessionLookup & { authenticated: true; user: SessionUser }> {
  const lookup = await lookupSession(ctx, request);
  if (!lookup.user) throw unauthenticatedError();
  if (!hasRequiredRole(ctx, lookup.user.roles)) throw new BffError(403, errorCodes.forbidden, 'Not allowed');
  return lookup as SessionLookup & { authenticated: true; user: SessionUser };
}

/** `GET /api/auth/session` → `{authenticated, user: {id, email, name, roles}, expiresAt}`. */
export function createSessionHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> =>
    guarded(ctx, request, async (requestId) => {
      const outcome = await authenticate(ctx, request, { requestId });
      if (outcome.kind === 'error') return errorWithCookies(outcome.error, requestId, outcome.setCookie);
      const info: SessionInfo =
        outcome.kind === 'anonymous'
          ? { authenticated: false, user: null, expiresAt: null }
          : {
              authenticated: true,
              user: outcome.session.user,
              expiresAt: new Date(outcome.session.data.ate * 1000).toISOString(),
            };
      const response = jsonResponse(info);
      for (const c of outcome.setCookie) response.headers.append('Set-Cookie', c);
      return response;
    });
}
