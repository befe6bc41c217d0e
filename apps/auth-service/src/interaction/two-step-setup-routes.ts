import { AppError } from '@bff-auth/service-kit/errors';
import { type Context, Hono } from 'hono';
import type { Logger } from 'pino';
import type { ProviderHost } from '../oidc/provider-host';
import type { PendingSignIns } from '../two-step/pending-sign-ins';
import { qrCodeSvg } from '../two-step/qr-code';
import type { TwoStepStore } from '../two-step/two-step-store';
import type { UserStore } from '../users/user-store';
import { renderErrorPage } from './error-page';
import { BAD_CODE, codeForm, type HonoEnv, interactionDetails } from './interaction-steps';
import type { LoginRateLimiter } from './login-rate-limit';
import { takeSignInAttempt } from './sign-in-attempt';
import { renderRecoveryCodesPage, renderTwoStepSetupPage } from './two-step-setup-view';

export interface TwoStepSetupDeps {
  host: ProviderHost;
  users: UserStore;
  twoStep: TwoStepStore;
  /** The sign-ins waiting for their enrolment, keyed by interaction uid (value: the account id). */
  enrolments: PendingSignIns;
  /** The sign-ins waiting for a code (an account whose TOTP came on meanwhile, e.g. in another tab). */
  pending: PendingSignIns;
  /** The code page's limits: a wrong first code counts like a wrong code at sign-in. */
  codeLimiter: LoginRateLimiter;
  logger: Logger;
  /** Where the sign-in goes once both factors are in (a required password change, else the app). */
  next: (c: Context<HonoEnv>, uid: string, accountId: string, amr: string[]) => Promise<string>;
  signInMetrics?: { failures: { inc(): void }; limited: { inc(): void } };
}

/**
 * `/interaction/:uid/two-step-setup`: an admin without TOTP signing in to the admin app (the admin rule,
 * two-step/admin-two-step.ts) sets it up right after the password, on the provider's own page — the
 * secret and the recovery codes never pass through an app, and the app gets its session only once the
 * account has its second factor. The first code turns it on (audited as `account.two-step.enable`) and
 * counts as this sign-in's second factor.
 */
export function twoStepSetupRoutes({
  host,
  users,
  twoStep,
  enrolments,
  pending,
  codeLimiter,
  logger,
  next,
  signInMetrics,
}: TwoStepSetupDeps) {
  const app = new Hono<HonoEnv>();
  const expired = (c: Context<HonoEnv>) =>
    c.html(renderErrorPage({ code: 'expired_sign_in', requestId: c.get('requestId') }), 400);

  /** This browser's sign-in waiting for its enrolment, with the account (still enabled). */
  async function waiting(c: Context<HonoEnv>) {
    const details = await interactionDetails(host, c.env);
    if (!details || details.uid !== c.req.param('uid') || details.prompt.name !== 'login') return undefined;
    const accountId = await enrolments.get(details.uid);
    const user = accountId ? await users.findById(accountId) : undefined;
    if (!user || user.disabled) return undefined;
    const client = await host.provider.Client.find(String(details.params.client_id));
    return { uid: details.uid, user, clientName: client?.clientName };
  }

  /** TOTP came on meanwhile (another tab): this sign-in asks for a code instead. */
  async function toCodePage(c: Context<HonoEnv>, uid: string, accountId: string) {
    await enrolments.drop(uid);
    await pending.put(uid, accountId);
    return c.redirect(`/interaction/${uid}/two-step`, 303);
  }

  app.get('/interaction/:uid/two-step-setup', async (c) => {
    const found = await waiting(c);
    if (!found) return expired(c);
    if (await twoStep.isEnabled(found.user.id)) return toCodePage(c, found.uid, found.user.id);
    const { secret, uri } = await twoStep.begin(found.user.id, found.user.email);
    return c.html(
      renderTwoStepSetupPage({
        uid: found.uid,
        clientName: found.clientName,
        secret,
        qrSvg: await qrCodeSvg(uri),
      }),
    );
  });

  app.post('/interaction/:uid/two-step-setup', async (c) => {
    const found = await waiting(c);
    if (!found) return expired(c);
    const { user } = found;
    const again = async (error: string, status: 400 | 401) => {
      const enrolment =
        (await twoStep.pendingEnrolment(user.id, user.email)) ?? (await twoStep.begin(user.id, user.email));
      return c.html(
        renderTwoStepSetupPage({
          uid: found.uid,
          clientName: found.clientName,
          secret: enrolment.secret,
          qrSvg: await qrCodeSvg(enrolment.uri),
          error,
        }),
        status,
      );
    };
    const body = await c.req.parseBody().catch(() => ({}));
    const form = codeForm.safeParse(body);
    if (!form.success) return again(form.error.issues[0]?.message ?? 'Enter the code', 400);
    const attempt = await takeSignInAttempt(c, codeLimiter, user.id, signInMetrics);
    if (!attempt.allowed) return attempt.response;
    let recoveryCodes: string[];
    try {
      ({ recoveryCodes } = await twoStep.confirm(user.id, form.data.code, {
        requestId: c.get('requestId'),
        clientId: 'sign-in',
      }));
    } catch (error) {
      if (error instanceof AppError && error.code === 'two_step_enabled') {
        return toCodePage(c, found.uid, user.id);
      }
      if (!(error instanceof AppError) || !['invalid_code', 'no_enrolment'].includes(error.code)) throw error;
      signInMetrics?.failures.inc();
      logger.info(
        { requestId: c.get('requestId'), userId: user.id, outcome: 'bad_code' },
        'enrolment refused',
      );
      return again(BAD_CODE, 401);
    }
    await attempt.succeeded();
    await enrolments.drop(found.uid);
    logger.info(
      { requestId: c.get('requestId'), userId: user.id },
      'two-step verification set up at sign-in',
    );
    const continueUrl = await next(c, found.uid, user.id, ['pwd', 'otp']);
    return c.html(renderRecoveryCodesPage({ codes: recoveryCodes, continueUrl }));
  });

  return app;
}
