import { BffError, errorCodes, SessionExpiredError } from '../errors';
import type { ForcedSignOutReason } from '../observe/bff-observer';
import { inSpan } from '../observe/in-span';
import { REFRESH_SKEW_SECONDS } from '../refresh/refresh-single-flight';
import { checkSessionRevocation } from '../revocation/session-revocation';
import type { SessionData } from '../session/session-data';
import type { Session } from '../session/session-store';
import type { BffContext } from './context';

/** The answer to "who is this request?" for one request. */
export type AuthOutcome =
  | { kind: 'authenticated'; session: Session; setCookie: string[] }
  /** No usable session; `reason` says why when there was a cookie, `setCookie` then clears it. */
  | { kind: 'anonymous'; reason?: 'session_revoked'; setCookie: string[] }
  /** session_expired (cookie cleared), or auth_unavailable / revocation_unavailable (cookie kept). */
  | { kind: 'error'; error: BffError; setCookie: string[] };

export interface AuthenticateOptions {
  /**
   * Refresh tokens that are due. Default true. False where the new cookie could not be written (a
   * server component): the rotated refresh token would be lost, its predecessor replayed later, and
   * reuse detection would end the whole grant (SPEC §4.3).
   */
  refresh?: boolean;
  /** Logged with a forced sign-out, so an operator can find the request. */
  requestId?: string;
}

/** Logs and counts a session the BFF ends without the user asking (never a token: ids and reason only). */
function forcedSignOut(ctx: BffContext, reason: ForcedSignOutReason, sub: string, requestId?: string) {
  ctx.observer.forcedSignOut?.(reason);
  ctx.logger.warn({ requestId, reason, sub }, 'bff-core: session ended, sign-in required');
}

/**
 * The per-request authentication path: unseal the cookie (cached), check the revocation keys (fail
 * closed), and refresh the tokens when the access token is within the skew of its expiry. Each step
 * is a span when the request is traced; forced sign-outs are logged with `requestId`.
 */
export async function authenticate(
  ctx: BffContext,
  request: Request,
  { refresh = true, requestId }: AuthenticateOptions = {},
): Promise<AuthOutcome> {
  const session = await inSpan('bff.session.read', () => ctx.sessions.read(request));
  if (!session) return { kind: 'anonymous', setCookie: [] };

  let status: Awaited<ReturnType<typeof checkSessionRevocation>>;
  try {
    status = await inSpan('bff.revocation.check', () => checkSessionRevocation(ctx.revocation, session.data));
    if (status.reason) {
      forcedSignOut(ctx, 'session_revoked', session.user.id, requestId);
      return { kind: 'anonymous', reason: 'session_revoked', setCookie: [ctx.sessions.clear()] };
    }
  } catch (error) {
    ctx.observer.revocationFailClosed?.();
    return { kind: 'error', error: error as BffError, setCookie: [] };
  }

  const skew = ctx.config.refresh.skewSeconds ?? REFRESH_SKEW_SECONDS;
  const now = Math.floor(Date.now() / 1000);
  // A role change makes the tokens stale at once: refresh now so this very request carries the new roles.
  const due = session.data.ate - now <= skew || status.rolesChanged;
  if (!due) return { kind: 'authenticated', session, setCookie: [] };
  // Read-only: the session stands while it is not revoked and can still be refreshed by a caller
  // that may write the cookie (proxy.ts, a route handler).
  if (!refresh && (session.data.rt || session.data.ate > now))
    return { kind: 'authenticated', session, setCookie: [] };
  if (!session.data.rt) {
    if (session.data.ate > now) return { kind: 'authenticated', session, setCookie: [] };
    forcedSignOut(ctx, 'session_expired', session.user.id, requestId);
    return { kind: 'error', error: new SessionExpiredError(), setCookie: [ctx.sessions.clear()] };
  }

  try {
    const refreshToken = session.data.rt;
    const tokens = await inSpan('bff.refresh', () => ctx.refresher.refresh(refreshToken, session.data.dk));
    const data: SessionData = {
      ...session.data,
      ...(tokens.dpopKey ? { dk: tokens.dpopKey } : {}),
      at: tokens.accessToken,
      ate: tokens.accessTokenExpiresAt,
      rt: tokens.refreshToken ?? session.data.rt,
      idt: tokens.idToken ?? session.data.idt,
      ...(status.rolesChangedAt !== null ? { rca: status.rolesChangedAt } : {}),
    };
    const setCookie = await ctx.sessions.seal(data);
    return {
      kind: 'authenticated',
      session: { data, user: ctx.sessions.userOf(data) },
      setCookie: [setCookie],
    };
  } catch (error) {
    if (error instanceof SessionExpiredError) {
      forcedSignOut(ctx, 'session_expired', session.user.id, requestId);
      return { kind: 'error', error, setCookie: [ctx.sessions.clear()] };
    }
    if (error instanceof BffError) return { kind: 'error', error, setCookie: [] };
    ctx.logger.error({ err: (error as Error).name }, 'bff-core: unexpected refresh failure');
    return {
      kind: 'error',
      error: new BffError(503, errorCodes.authUnavailable, 'Sign-in service unavailable'),
      setCookie: [],
    };
  }
}

/** The 401 for a request without a usable session. */
export function unauthenticatedError(reason?: 'session_revoked'): BffError {
  return reason === 'session_revoked'
    ? new BffError(401, errorCodes.sessionRevoked, 'Your session has ended; sign in again')
    : new BffError(401, errorCodes.unauthenticated, 'Sign in to continue');
}

/** Whether the configured `requiredRole` (if any) is among the user's roles. */
export function hasRequiredRole(ctx: BffContext, roles: readonly string[]): boolean {
  return !ctx.config.requiredRole || roles.includes(ctx.config.requiredRole);
}
