import { ACR } from '@bff-auth/claims';
import { AppError } from '@bff-auth/service-kit/errors';
import {
  type AccessTokenIdentity,
  type AuthEnv,
  type AuthorizationScheme,
  authChallenge,
} from '@bff-auth/token-verifier';
import type { MiddlewareHandler } from 'hono';

/** What the check reads and writes of a Hono context (after accessTokenAuth). */
interface StepUpContext {
  var: { auth: Pick<AccessTokenIdentity, 'acr' | 'authTime'>; authScheme: AuthorizationScheme };
  header(name: string, value: string): void;
}

/** How recent the sign-in behind a destructive admin action must be (SPEC §12: 10 minutes). */
export const STEP_UP_MAX_AGE_SECONDS = 600;

export interface StepUpOptions {
  /**
   * `ADMIN_TWO_STEP_REQUIRED`: only a sign-in with the second factor counts. Off, a fresh sign-in with
   * the password counts too — the auth service still asks an account with TOTP for its code, so only an
   * admin without TOTP steps up with the password. Default true.
   */
  twoStepRequired?: boolean;
  /** Default STEP_UP_MAX_AGE_SECONDS. */
  maxAgeSeconds?: number;
  /** Epoch milliseconds. Default Date.now. */
  now?: () => number;
}

/** 403 `step_up_required`: sign in again (RFC 9470); `details` says how, for the app to ask for it. */
export class StepUpRequiredError extends AppError {
  constructor(maxAgeSeconds: number) {
    super(403, 'step_up_required', 'Confirm it is you: sign in again with your second factor', {
      details: { acr_values: [ACR.twoStep], max_age: [String(maxAgeSeconds)] },
    });
    this.name = 'StepUpRequiredError';
  }
}

/**
 * Step-up for destructive admin actions (disable, force logout, role changes): the access token's
 * `auth_time` must be at most `maxAgeSeconds` old and its `acr` one that counts. Otherwise 403
 * `step_up_required` with RFC 9470's `WWW-Authenticate: … error="insufficient_user_authentication"`
 * naming `acr_values` and `max_age`, in the scheme the request used (`Bearer`, or `DPoP` with its `algs`:
 * token-verifier's authChallenge), which admin-web passes on to its sign-in (`max_age` makes the provider
 * sign the admin in again, `acr_values` makes it ask for the code).
 */
export function createStepUpRule({
  twoStepRequired = true,
  maxAgeSeconds = STEP_UP_MAX_AGE_SECONDS,
  now = Date.now,
}: StepUpOptions = {}) {
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw new Error(
      `admin-api step-up: maxAgeSeconds must be a whole number of seconds ≥ 0 (got ${maxAgeSeconds})`,
    );
  }
  const accepted: ReadonlySet<string> = new Set(
    twoStepRequired ? [ACR.twoStep] : [ACR.password, ACR.twoStep],
  );

  /** Whether this token's sign-in is recent enough and strong enough. */
  const satisfiedBy = (auth: Pick<AccessTokenIdentity, 'acr' | 'authTime'>): boolean =>
    auth.acr !== undefined &&
    accepted.has(auth.acr) &&
    auth.authTime !== undefined &&
    Math.floor(now() / 1000) - auth.authTime <= maxAgeSeconds;

  /** Throws StepUpRequiredError (and sets the challenge header) unless the token satisfies the rule. */
  function check(c: StepUpContext): void {
    if (satisfiedBy(c.var.auth)) return;
    c.header(
      'WWW-Authenticate',
      authChallenge(c.var.authScheme, {
        error: 'insufficient_user_authentication',
        error_description: 'A recent sign-in with the second factor is required',
        acr_values: ACR.twoStep,
        max_age: maxAgeSeconds,
      }),
    );
    throw new StepUpRequiredError(maxAgeSeconds);
  }

  return {
    maxAgeSeconds,
    satisfiedBy,
    check,
    /** The rule as middleware, for routes that always need it. */
    required:
      <E extends AuthEnv>(): MiddlewareHandler<E> =>
      async (c, next) => {
        check(c);
        await next();
      },
  };
}
export type StepUpRule = ReturnType<typeof createStepUpRule>;
