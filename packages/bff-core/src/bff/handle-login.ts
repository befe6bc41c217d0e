import type { StepUpParams } from '../oidc/oidc-client';
import { safeReturnTo } from '../return-to/safe-return-to';
import type { BffContext } from './context';
import { authErrorResponse } from './error-page';
import { guarded, redirect } from './respond';

/** Longest `max_age` passed on: a day. */
const MAX_STEP_UP_AGE_SECONDS = 86_400;

/**
 * The step-up parameters of a login URL the app's page built from an API's challenge, kept only when the
 * app allows them (its `stepUp.acrValues`). They can only ask for a stronger or newer sign-in of the
 * person themselves, never change what the app receives, so the browser may carry them.
 */
function stepUpParams(query: URLSearchParams, allowed: readonly string[] | undefined): StepUpParams {
  if (!allowed) return {};
  const maxAge = query.get('max_age');
  const acr = (query.get('acr_values') ?? '').split(' ').filter((value) => allowed.includes(value));
  return {
    ...(maxAge && /^\d{1,6}$/.test(maxAge) && Number(maxAge) <= MAX_STEP_UP_AGE_SECONDS
      ? { maxAge: Number(maxAge) }
      : {}),
    ...(acr.length > 0 ? { acrValues: acr.join(' ') } : {}),
  };
}

/**
 * `GET /api/auth/login?returnTo=/path` (step-up: `&max_age=600&acr_values=…`, see `stepUp`): starts the authorization code flow with PKCE (S256), state and
 * nonce kept in a short-lived sealed cookie of its own (one per `state`, so sign-ins started in several
 * tabs do not overwrite each other), and redirects to the provider. A failure (the provider cannot be
 * reached) is a page with "Try again" for a person, the error envelope for `Accept: application/json`.
 */
export function createLoginHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> => {
    const query = new URL(request.url).searchParams;
    let returnTo = safeReturnTo(query.get('returnTo'));
    const stepUp = stepUpParams(query, ctx.config.stepUp?.acrValues);
    return guarded(
      ctx,
      request,
      async (requestId) => {
        const transaction = ctx.transactions.create(returnTo);
        returnTo = transaction.returnTo;
        const url = await ctx.oidc.authorizationUrl(transaction, stepUp);
        return redirect(url.href, requestId, await ctx.transactions.begin(request, transaction));
      },
      (error, requestId) => authErrorResponse(request, error, requestId, { returnTo }),
    );
  };
}
