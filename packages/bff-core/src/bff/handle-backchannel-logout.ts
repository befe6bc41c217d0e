import { BffError, errorCodes } from '../errors';
import { PayloadTooLargeError, readBodyText } from '../http/read-body';
import { InvalidLogoutTokenError } from '../oidc/logout-token';
import type { BffContext } from './context';
import { guarded } from './respond';

/** Largest back-channel logout request read: a form with one signed JWT is a few KB. */
export const MAX_BACKCHANNEL_LOGOUT_BYTES = 64 * 1024;

/**
 * `POST /api/auth/backchannel-logout` (OIDC Back-Channel Logout 1.0), called by the provider, not a
 * browser: verifies the `logout_token` (which must carry `sub`), revokes its `sid` (or, with only
 * `sub`, every session of the user) in the revocation store and publishes a `logout` event. 200 on
 * success, 400 on any invalid token, 413 for a body over MAX_BACKCHANNEL_LOGOUT_BYTES (never read past it).
 */
export function createBackchannelLogoutHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> =>
    guarded(ctx, request, async () => {
      if (request.method !== 'POST')
        throw new BffError(405, errorCodes.methodNotAllowed, 'Method not allowed');
      let token: string | null = null;
      try {
        token = new URLSearchParams(await readBodyText(request, MAX_BACKCHANNEL_LOGOUT_BYTES)).get(
          'logout_token',
        );
      } catch (error) {
        if (error instanceof PayloadTooLargeError) throw error;
        token = null;
      }
      if (!token) throw new InvalidLogoutTokenError('missing logout_token');
      let claims: Awaited<ReturnType<typeof ctx.verifyLogoutToken>>;
      try {
        claims = await ctx.verifyLogoutToken(token);
      } catch (error) {
        if (error instanceof BffError) throw error;
        throw new BffError(503, errorCodes.revocationUnavailable, 'Logout could not be recorded', {
          cause: error,
        });
      }
      // Revocation keys live under the user's hash tag (one Cluster slot per user), so a session is
      // revoked by user and sid: a token with a sid but no sub cannot be recorded, and is refused
      // rather than accepted and silently ignored (our provider always sends both).
      const sub = claims.sub;
      if (!sub) throw new InvalidLogoutTokenError('sub is required');
      try {
        if (claims.sid) await ctx.revocation.revokeSession(sub, claims.sid);
        else await ctx.revocation.setUserNotBefore(sub);
        await ctx.revocation.publish({
          type: 'logout',
          userId: sub,
          ...(claims.sid ? { sid: claims.sid } : {}),
        });
      } catch (error) {
        throw new BffError(503, errorCodes.revocationUnavailable, 'Logout could not be recorded', {
          cause: error,
        });
      }
      return new Response(null, { status: 200, headers: { 'Cache-Control': 'no-store' } });
    });
}
