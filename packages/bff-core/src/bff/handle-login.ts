import { safeReturnTo } from '../return-to/safe-return-to';
import type { BffContext } from './context';
import { guarded, redirect } from './respond';

/**
 * `GET /api/auth/login?returnTo=/path`: starts the authorization code flow with PKCE (S256), state and
 * nonce kept in a short-lived sealed cookie, and redirects to the provider.
 */
export function createLoginHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> =>
    guarded(ctx, request, async (requestId) => {
      const returnTo = safeReturnTo(new URL(request.url).searchParams.get('returnTo'));
      const transaction = ctx.transactions.create(returnTo);
      const url = await ctx.oidc.authorizationUrl(transaction);
      return redirect(url.href, requestId, [await ctx.transactions.seal(transaction)]);
    });
}
