import { safeReturnTo } from '../return-to/safe-return-to';
import type { BffContext } from './context';
import { authErrorResponse } from './error-page';
import { guarded, redirect } from './respond';

/**
 * `GET /api/auth/login?returnTo=/path`: starts the authorization code flow with PKCE (S256), state and
 * nonce kept in a short-lived sealed cookie of its own (one per `state`, so sign-ins started in several
 * tabs do not overwrite each other), and redirects to the provider. A failure (the provider cannot be
 * reached) is a page with "Try again" for a person, the error envelope for `Accept: application/json`.
 */
export function createLoginHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> => {
    let returnTo = safeReturnTo(new URL(request.url).searchParams.get('returnTo'));
    return guarded(
      ctx,
      request,
      async (requestId) => {
        const transaction = ctx.transactions.create(returnTo);
        returnTo = transaction.returnTo;
        const url = await ctx.oidc.authorizationUrl(transaction);
        return redirect(url.href, requestId, await ctx.transactions.begin(request, transaction));
      },
      (error, requestId) => authErrorResponse(request, error, requestId, { returnTo }),
    );
  };
}
