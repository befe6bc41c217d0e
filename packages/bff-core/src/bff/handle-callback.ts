import { BffError, errorCodes } from '../errors';
import { unverifiedClaims } from '../oidc/token-set';
import type { TransactionLookup } from '../oidc/transaction';
import { DEFAULT_RETURN_TO } from '../return-to/safe-return-to';
import { checkSessionRevocation } from '../revocation/session-revocation';
import type { SessionData } from '../session/session-data';
import { authenticate, hasRequiredRole } from './authenticate';
import type { BffContext } from './context';
import { authErrorResponse } from './error-page';
import { guarded, redirectAfterSignIn, sameSiteHop } from './respond';

/**
 * Marks a callback URL that already went through the same-site hop (Strict session cookies), so it is
 * never hopped twice. It is only ever a hint: whoever adds it merely skips the hop.
 */
export const SAME_SITE_HOP_PARAM = 'bff_hop';

const loginFailed = (message: string, cause?: unknown) =>
  new BffError(400, errorCodes.loginFailed, message, { cause });

/** Plain words for a callback whose transaction cannot be used. */
function lookupError(lookup: Exclude<TransactionLookup, { status: 'pending' }>): BffError {
  switch (lookup.status) {
    case 'used':
      return loginFailed('This sign-in link was already used; each one works only once.');
    case 'expired':
      return loginFailed('The sign-in took longer than 10 minutes and expired.');
    case 'missing':
      return loginFailed(
        'The sign-in expired or was started elsewhere (another browser, or too many sign-ins at once).',
      );
  }
}

/** Plain words for a code exchange that failed, naming the provider's error code when it sent one. */
function exchangeError(error: unknown, url: URL): unknown {
  if (!(error instanceof BffError) || error.code !== errorCodes.loginFailed) return error;
  const code = url.searchParams.get('error');
  if (code && /^[a-z_]{1,64}$/.test(code)) {
    return loginFailed(`The sign-in service ended the sign-in without signing you in (${code}).`, error);
  }
  return loginFailed('The sign-in service’s answer could not be accepted.', error);
}

/**
 * `GET /api/auth/callback`: finds this sign-in's transaction by `state` (several can be in flight, one
 * per tab), marks it used in the same response (a replay can never redeem it again), redeems the code
 * (client secret basic, PKCE), validates the ID token, enforces `requiredRole` (403, no session kept),
 * seals a fresh session and goes to the transaction's returnTo.
 *
 * A callback that cannot complete, while this browser already holds a valid session (another tab
 * signed in first, or the callback is replayed by the back button or a reload), goes to its returnTo
 * instead of failing. Otherwise a person gets a page with "Try again"; `Accept: application/json`
 * gets the error envelope.
 *
 * Strict session cookies are not sent on a callback whose redirect chain crossed sites, so such a
 * callback first hops through a page of our own (`SAME_SITE_HOP_PARAM`) before anything else: only then
 * can it see an existing session. Its end is such a hop too, for the new cookie.
 */
export function createCallbackHandler(ctx: BffContext) {
  const { sameSite, appOrigin } = ctx.config;
  const absolute = (path: string) => new URL(path, appOrigin).href;

  return (request: Request): Promise<Response> => {
    let returnTo = DEFAULT_RETURN_TO;
    return guarded(
      ctx,
      request,
      async (requestId) => {
        const url = new URL(request.url);
        if (
          sameSite === 'Strict' &&
          request.headers.get('sec-fetch-site') === 'cross-site' &&
          !url.searchParams.has(SAME_SITE_HOP_PARAM)
        ) {
          const next = new URL(`${url.pathname}${url.search}`, appOrigin);
          next.searchParams.set(SAME_SITE_HOP_PARAM, '1');
          return sameSiteHop(next.href, requestId);
        }
        url.searchParams.delete(SAME_SITE_HOP_PARAM);

        /** The failure, unless this browser is signed in already: then on to returnTo. */
        const failed = async (error: unknown, setCookie: string[]) => {
          const outcome = await authenticate(ctx, request, { requestId });
          if (outcome.kind === 'authenticated' && hasRequiredRole(ctx, outcome.session.user.roles)) {
            return redirectAfterSignIn(
              absolute(returnTo),
              requestId,
              [...setCookie, ...outcome.setCookie],
              sameSite,
            );
          }
          ctx.logger.warn(
            { requestId, code: error instanceof BffError ? error.code : 'internal_error' },
            'bff-core: sign-in callback failed',
          );
          return authErrorResponse(request, error, requestId, {
            returnTo,
            setCookie: [...setCookie, ...outcome.setCookie],
          });
        };

        const lookup = await ctx.transactions.find(request, url.searchParams.get('state'));
        if (lookup.status !== 'pending') {
          if (lookup.status !== 'missing') returnTo = lookup.returnTo;
          return failed(lookupError(lookup), []);
        }
        const { transaction } = lookup;
        returnTo = transaction.returnTo;
        const used = await ctx.transactions.markUsed(transaction);

        let exchanged: Awaited<ReturnType<typeof ctx.oidc.exchangeCode>>;
        try {
          exchanged = await ctx.oidc.exchangeCode(url, transaction);
        } catch (error) {
          return failed(exchangeError(error, url), [used]);
        }
        const { tokens, claims } = exchanged;
        const access = unverifiedClaims(tokens.accessToken);
        const sid =
          typeof claims.sid === 'string'
            ? claims.sid
            : typeof access.sid === 'string'
              ? access.sid
              : undefined;
        const data: SessionData = {
          v: 1,
          uid: claims.sub,
          ...(sid ? { sid } : {}),
          cat: Math.floor(Date.now() / 1000),
          at: tokens.accessToken,
          ate: tokens.accessTokenExpiresAt,
          ...(tokens.refreshToken ? { rt: tokens.refreshToken } : {}),
          ...(tokens.idToken ? { idt: tokens.idToken } : {}),
          ...(tokens.dpopKey ? { dk: tokens.dpopKey } : {}),
        };
        // The roles as every later request will see them (the session's own reading of its tokens).
        if (!hasRequiredRole(ctx, ctx.sessions.userOf(data).roles)) {
          if (tokens.refreshToken) await ctx.oidc.revoke(tokens.refreshToken, 'refresh_token');
          const error = new BffError(
            403,
            errorCodes.forbidden,
            'The account you signed in with does not have access to this app. Sign in with another account.',
          );
          return authErrorResponse(request, error, requestId, {
            returnTo,
            setCookie: [used, ctx.sessions.clear()],
          });
        }
        // A provider session already signed out (its sid revoked by back-channel logout) must not become
        // a BFF session: every page would refuse it and send the browser round again. Redis unreachable
        // fails closed like any other check (503). A user-wide not-before is not a reason here: ending all
        // of a user's sessions ends their provider sessions too, so these tokens come from a sign-in made
        // after it (one in the same second reads as "before" it, seconds being coarse).
        const { reason } = await checkSessionRevocation(ctx.revocation, data);
        if (reason === 'session_revoked' || reason === 'user_disabled') {
          if (tokens.refreshToken) await ctx.oidc.revoke(tokens.refreshToken, 'refresh_token');
          return failed(
            loginFailed('This sign-in belonged to a session that was just signed out. Sign in again.'),
            [used],
          );
        }
        const sessionCookie = await ctx.sessions.seal(data);
        return redirectAfterSignIn(absolute(returnTo), requestId, [used, sessionCookie], sameSite);
      },
      (error, requestId) => authErrorResponse(request, error, requestId, { returnTo }),
    );
  };
}
