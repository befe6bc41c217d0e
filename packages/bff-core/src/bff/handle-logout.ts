import { checkCsrf } from '../csrf/check-csrf';
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
 */
export function createLogoutHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> =>
    guarded(ctx, request, async (requestId) => {
      checkCsrf(request, ctx.config.appOrigin);
      const session = await ctx.sessions.read(request);
      let redirectTo = ctx.config.postLogoutRedirectUri;
      if (session) {
        const { data } = session;
        if (data.rt) await ctx.oidc.revoke(data.rt, 'refresh_token');
        const { jti } = unverifiedClaims(data.at);
        try {
          const ttl = data.ate - Math.floor(Date.now() / 1000);
          if (typeof jti === 'string' && ttl > 0) await ctx.revocation.denyJti(data.uid, jti, ttl);
          await ctx.revocation.publish({
            type: 'logout',
            userId: data.uid,
            ...(data.sid ? { sid: data.sid } : {}),
          });
        } catch {
          // The refresh token is already revoked at the provider; the cookie is cleared below regardless.
          ctx.logger.warn({ requestId }, 'bff-core: could not record the logout in Redis');
        }
        const endSession = await ctx.oidc.endSessionUrl(data.idt).catch(() => null);
        if (endSession) redirectTo = endSession.href;
      }
      const response = jsonResponse({ status: 'success', data: { redirectTo } });
      response.headers.append('Set-Cookie', ctx.sessions.clear());
      return response;
    });
}
