import { BffError, errorCodes } from '../errors';
import { withCookies } from '../http/cookies';
import { toErrorResponse } from '../http/envelope';
import { unverifiedClaims } from '../oidc/token-set';
import type { SessionData } from '../session/session-data';
import type { BffContext } from './context';
import { guarded, redirectAfterSignIn } from './respond';

const rolesIn = (claims: Record<string, unknown>) =>
  Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : undefined;

/**
 * `GET /api/auth/callback`: checks state against the transaction cookie, redeems the code (client
 * secret basic, PKCE), validates the ID token, enforces `requiredRole` (403, no session kept), seals a
 * fresh session and redirects to the transaction's returnTo (through a same-site page for Strict cookies). The transaction cookie is always cleared.
 */
export function createCallbackHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> =>
    guarded(ctx, request, async (requestId) => {
      const clearTransaction = ctx.transactions.clear();
      const transaction = await ctx.transactions.read(request);
      if (!transaction) {
        const error = new BffError(
          400,
          errorCodes.loginFailed,
          'The sign-in expired or was started elsewhere; try again',
        );
        return withCookies(toErrorResponse(error, requestId), [clearTransaction]);
      }
      let exchanged: Awaited<ReturnType<typeof ctx.oidc.exchangeCode>>;
      try {
        exchanged = await ctx.oidc.exchangeCode(new URL(request.url), transaction);
      } catch (error) {
        return withCookies(toErrorResponse(error, requestId), [clearTransaction]);
      }
      const { tokens, claims } = exchanged;
      const access = unverifiedClaims(tokens.accessToken);
      const roles = rolesIn(access) ?? rolesIn(claims) ?? [];
      if (ctx.config.requiredRole && !roles.includes(ctx.config.requiredRole)) {
        if (tokens.refreshToken) await ctx.oidc.revoke(tokens.refreshToken, 'refresh_token');
        const error = new BffError(403, errorCodes.forbidden, 'This account may not use this application');
        return withCookies(toErrorResponse(error, requestId), [clearTransaction, ctx.sessions.clear()]);
      }
      const sid =
        typeof claims.sid === 'string' ? claims.sid : typeof access.sid === 'string' ? access.sid : undefined;
      const data: SessionData = {
        v: 1,
        uid: claims.sub,
        ...(sid ? { sid } : {}),
        cat: Math.floor(Date.now() / 1000),
        at: tokens.accessToken,
        ate: tokens.accessTokenExpiresAt,
        ...(tokens.refreshToken ? { rt: tokens.refreshToken } : {}),
        ...(tokens.idToken ? { idt: tokens.idToken } : {}),
      };
      const sessionCookie = await ctx.sessions.seal(data);
      const location = new URL(transaction.returnTo, ctx.config.appOrigin).href;
      return redirectAfterSignIn(location, requestId, [clearTransaction, sessionCookie], ctx.config.sameSite);
    });
}
