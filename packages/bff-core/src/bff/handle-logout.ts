import { checkCsrf } from '../csrf/check-csrf';
import { BffError, errorCodes } from '../errors';
import { jsonResponse } from '../http/envelope';
import { unverifiedClaims } from '../oidc/token-set';
import type { BffContext } from './context';
import { guarded } from './respond';

/**
 * `POST /api/auth/logout` (CSRF-checked): revokes the refresh token (RFC 7009), deny-lists the access
 * token's `jti` until it expires, publishes a `logout` event and clears the cookie. Answers
 * `{"status":"success","data":{"redirectTo":…}}`: the provider's end-session URL for the browser to
 * navigate to, with `client_id`, `post_logout_redirect_uri` and an opaque single-use `logout_hint` the
 * BFF obtained server to server. The ID token stays in the BFF: no JWT reaches the browser (SPEC §4.4).
 *
 * When the provider cannot be reached, the sign-out still answers 200 and the session is dead at once:
 * its `sid` is revoked in Redis and the provider's part (refresh token, provider session) waits in
 * `pendingSignOuts`, retried until done; the browser goes straight to the post-logout page. Only when
 * Redis cannot take it either does it answer 503 and keep the cookie, so the person can try again.
 */
export function createLogoutHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> =>
    guarded(ctx, request, async (requestId) => {
      checkCsrf(request, ctx.config.appOrigin);
      const session = await ctx.sessions.read(request);
      let redirectTo = ctx.config.postLogoutRedirectUri;
      if (session) {
        const { data } = session;
        const providerDone = data.rt ? await ctx.oidc.revoke(data.rt, 'refresh_token') : true;
        const { jti } = unverifiedClaims(data.at);
        try {
          const ttl = data.ate - Math.floor(Date.now() / 1000);
          if (typeof jti === 'string' && ttl > 0) await ctx.revocation.denyJti(data.uid, jti, ttl);
          if (!providerDone) {
            // The provider cannot be reached: the session dies at once everywhere (its sid: every copy of
            // the cookie, every instance), and the provider's part is retried until done.
            if (data.sid) await ctx.revocation.revokeSession(data.uid, data.sid);
            await ctx.pendingSignOuts.add({
              userId: data.uid,
              ...(data.rt ? { refreshToken: data.rt } : {}),
              ...(data.idt ? { idToken: data.idt } : {}),
            });
          }
        } catch (error) {
          if (!providerDone) {
            // Neither the provider nor Redis took the sign-out: nothing would stop a copy of the cookie.
            // The cookie stays, so the person can try again; nothing is acknowledged that did not happen.
            throw new BffError(503, errorCodes.authUnavailable, 'Sign-out could not complete. Try again.', {
              cause: error,
              headers: { 'Retry-After': '5' },
            });
          }
          // The refresh token is already revoked at the provider; the cookie is cleared below regardless.
          ctx.logger.warn({ requestId }, 'bff-core: could not record the logout in Redis');
        }
        // Open pages of this session learn of it (best effort: the revocation above already holds).
        await ctx.revocation
          .publish({ type: 'logout', userId: data.uid, ...(data.sid ? { sid: data.sid } : {}) })
          .catch(() => {});
        // Without the provider, its end-session page would not load either: straight back to the app.
        const endSession = providerDone ? await ctx.oidc.endSessionUrl(data.idt).catch(() => null) : null;
        if (endSession) redirectTo = endSession.href;
      }
      const response = jsonResponse({ status: 'success', data: { redirectTo } });
      response.headers.append('Set-Cookie', ctx.sessions.clear());
      return response;
    });
}
