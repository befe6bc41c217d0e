import { ACR } from '@bff-auth/claims';
import type { Database } from '@bff-auth/db';
import { passwordProblems } from '@bff-auth/service-kit/passwords';
import { type Context, Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import { adminAudit } from '../internal/audit-trail';
import type { ProviderHost } from '../oidc/provider-host';
import type { AdminTwoStepRule } from '../two-step/admin-two-step';
import type { PendingSignIns } from '../two-step/pending-sign-ins';
import type { TwoStepStore } from '../two-step/two-step-store';
import { isPrintableEmailText, isWellFormedText, MAX_EMAIL_LENGTH } from '../users/email-key';
import { burnPasswordCheck, verifyPassword } from '../users/passwords';
import { createUserStore, type UserStore } from '../users/user-store';
import { renderChangePasswordPage } from './change-password-view';
import { renderErrorPage } from './error-page';
import { pageCsp, STYLESHEET } from './html';
import { BAD_CODE, codeForm, type HonoEnv, interactionDetails } from './interaction-steps';
import type { LoginRateLimiter } from './login-rate-limit';
import { takeSignInAttempt } from './sign-in-attempt';
import { twoStepSetupRoutes } from './two-step-setup-routes';
import { renderLoginPage, renderTwoStepPage } from './views';

export interface InteractionDeps {
  host: ProviderHost;
  users: UserStore;
  limiter: LoginRateLimiter;
  /** Two-step verification: the accounts that have it, the codes, and the sign-ins waiting for one. */
  twoStep: TwoStepStore;
  pending: PendingSignIns;
  /** Sign-ins of admins without TOTP that set it up before they continue (value: the account id). */
  enrolments: PendingSignIns;
  /** Who must have a second factor (the admin rule); the provider's login prompt asks by the same rule. */
  adminTwoStep: AdminTwoStepRule;
  /** Sign-ins waiting for a password change an admin required (value: `<accountId> <amr,…>`). */
  passwordChanges: PendingSignIns;
  /** authdb, for the required password change and its audit row (one transaction). */
  db: Database;
  /** Limits of the code page, keyed by account and address (the sign-in limits under their own prefix). */
  codeLimiter: LoginRateLimiter;
  logger: Logger;
  /** Counters of refused sign-ins (`auth_sign_in_failures_total`, `auth_sign_in_limited_total`). */
  signInMetrics?: { failures: { inc(): void }; limited: { inc(): void } };
}

/** What the page says for every refused sign-in: wrong password, unknown email or disabled account. */
const BAD_CREDENTIALS = 'Incorrect email or password.';

const loginForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email')
    .max(MAX_EMAIL_LENGTH, 'That email is too long')
    .refine(isPrintableEmailText, 'Enter a valid email address'),
  password: z
    .string()
    .min(1, 'Enter your password')
    .max(1024, 'That password is too long')
    .refine(isWellFormedText, 'That password contains characters we cannot read'),
});

const changePasswordForm = z.object({
  password: z
    .string({ error: 'Enter a new password' })
    .min(1, 'Enter a new password')
    .max(1024, 'That password is too long')
    .refine(isWellFormedText, 'That password contains characters we cannot read'),
  confirm: z.string({ error: 'Repeat the new password' }).max(1024, 'That password is too long'),
});

/** The provider's own sign-in page (no consent screen: our clients are first-party). */
export function interactionRoutes(deps: InteractionDeps) {
  const {
    host,
    users,
    limiter,
    twoStep,
    pending,
    enrolments,
    adminTwoStep,
    passwordChanges,
    db,
    codeLimiter,
    logger,
    signInMetrics,
  } = deps;
  const app = new Hono<HonoEnv>();

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', pageCsp());
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  });

  // A person's browser is on these routes: an unexpected failure (Redis or the database down, the
  // sign-in limits failing closed) is the error page, never the JSON envelope or a stack.
  app.onError((err, c) => {
    logger.error({ err, requestId: c.get('requestId') }, 'sign-in page failed');
    return c.html(renderErrorPage({ code: 'temporarily_unavailable', requestId: c.get('requestId') }), 503);
  });

  app.get('/assets/auth.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(STYLESHEET);
  });

  app.get('/interaction/:uid', async (c) => {
    const details = await interactionDetails(host, c.env);
    if (!details || details.uid !== c.req.param('uid')) {
      return c.html(renderErrorPage({ code: 'expired_sign_in', requestId: c.get('requestId') }), 400);
    }
    const client = await host.provider.Client.find(String(details.params.client_id));
    return c.html(renderLoginPage({ uid: details.uid, clientName: client?.clientName }));
  });

  app.post('/interaction/:uid/login', async (c) => {
    const details = await interactionDetails(host, c.env);
    if (!details || details.uid !== c.req.param('uid') || details.prompt.name !== 'login') {
      return c.html(renderErrorPage({ code: 'expired_sign_in', requestId: c.get('requestId') }), 400);
    }
    const client = await host.provider.Client.find(String(details.params.client_id));
    const view = { uid: details.uid, clientName: client?.clientName };

    const body = await c.req.parseBody().catch(() => ({}));
    const form = loginForm.safeParse(body);
    if (!form.success) {
      // The typed email is shown again only when it is printable text of a sensible length.
      const typed = (body as Record<string, unknown>).email;
      const email =
        typeof typed === 'string' && typed.length <= MAX_EMAIL_LENGTH && isPrintableEmailText(typed)
          ? typed
          : '';
      return c.html(renderLoginPage({ ...view, email, error: form.error.issues[0]?.message }), 400);
    }
    const { email, password } = form.data;
    const attempt = await takeSignInAttempt(c, limiter, email, signInMetrics);
    if (!attempt.allowed) return attempt.response;

    const credentials = await users.findCredentials(email);
    let valid = false;
    if (credentials) valid = await verifyPassword(credentials.passwordHash, password);
    else await burnPasswordCheck(password);
    // A disabled account gets the same answer as a wrong password, whatever password was typed:
    // "this account is disabled" after the right password would confirm the password to whoever typed it.
    if (!credentials || !valid || credentials.user.disabled) {
      const outcome = !credentials || !valid ? 'bad_credentials' : 'disabled';
      signInMetrics?.failures.inc();
      logger.info(
        { requestId: c.get('requestId'), userId: credentials?.user.id, outcome },
        'sign-in refused',
      );
      return c.html(renderLoginPage({ ...view, email, error: BAD_CREDENTIALS }), 401);
    }

    await attempt.succeeded();
    const { user } = credentials;
    if (await twoStep.isEnabled(user.id)) {
      await pending.put(details.uid, user.id);
      return c.redirect(`/interaction/${details.uid}/two-step`, 303);
    }
    if (adminTwoStep.appliesTo(String(details.params.client_id), user.roles)) {
      await enrolments.put(details.uid, user.id);
      return c.redirect(`/interaction/${details.uid}/two-step-setup`, 303);
    }
    return finishSignIn(c, details.uid, user.id, ['pwd']);
  });

  /** The factors are checked: a required password change first, else the sign-in completes. */
  async function finishSignIn(c: Context<HonoEnv>, uid: string, accountId: string, amr: string[]) {
    return c.redirect(await nextStepUrl(c, uid, accountId, amr), 303);
  }

  /** Where a sign-in whose factors are checked goes: the required password change, else the app. */
  async function nextStepUrl(c: Context<HonoEnv>, uid: string, accountId: string, amr: string[]) {
    if (await users.passwordChangeRequired(accountId)) {
      await passwordChanges.put(uid, `${accountId} ${amr.join(',')}`);
      return `/interaction/${uid}/change-password`;
    }
    return completeSignInUrl(c, accountId, amr);
  }

  async function completeSignIn(c: Context<HonoEnv>, accountId: string, amr: string[]) {
    return c.redirect(await completeSignInUrl(c, accountId, amr), 303);
  }

  async function completeSignInUrl(c: Context<HonoEnv>, accountId: string, amr: string[]) {
    await users.recordSignIn(accountId);
    logger.info({ requestId: c.get('requestId'), userId: accountId, amr }, 'signed in');
    return host.provider.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { login: { accountId, amr, acr: amr.includes('otp') ? ACR.twoStep : ACR.password } },
      { mergeWithLastSubmission: false },
    );
  }

  // The TOTP set-up of an admin signing in: the same stores, limits and metrics, then this sign-in's next step.
  app.route('/', twoStepSetupRoutes({ ...deps, next: nextStepUrl }));

  /** The interaction of this browser waiting for its second factor, and whose it is. */
  async function pendingSignIn(c: Context<HonoEnv>) {
    const details = await interactionDetails(host, c.env);
    if (!details || details.uid !== c.req.param('uid') || details.prompt.name !== 'login') return undefined;
    const accountId = await pending.get(details.uid);
    if (!accountId) return undefined;
    const client = await host.provider.Client.find(String(details.params.client_id));
    return { uid: details.uid, accountId, clientName: client?.clientName };
  }
  const expired = (c: Context<HonoEnv>) =>
    c.html(renderErrorPage({ code: 'expired_sign_in', requestId: c.get('requestId') }), 400);

  app.get('/interaction/:uid/two-step', async (c) => {
    const waiting = await pendingSignIn(c);
    if (!waiting) return expired(c);
    const recovery = c.req.query('method') === 'recovery';
    return c.html(renderTwoStepPage({ uid: waiting.uid, clientName: waiting.clientName, recovery }));
  });

  app.post('/interaction/:uid/two-step', async (c) => {
    const waiting = await pendingSignIn(c);
    if (!waiting) return expired(c);
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const recovery = body.method === 'recovery';
    const view = { uid: waiting.uid, clientName: waiting.clientName, recovery };
    const form = codeForm.safeParse(body);
    if (!form.success) {
      return c.html(renderTwoStepPage({ ...view, error: form.error.issues[0]?.message }), 400);
    }
    const attempt = await takeSignInAttempt(c, codeLimiter, waiting.accountId, signInMetrics);
    if (!attempt.allowed) return attempt.response;
    const factor = await twoStep.verify(waiting.accountId, form.data.code);
    if (!factor) {
      signInMetrics?.failures.inc();
      logger.info(
        { requestId: c.get('requestId'), userId: waiting.accountId, outcome: 'bad_code' },
        'sign-in refused',
      );
      return c.html(renderTwoStepPage({ ...view, error: BAD_CODE }), 401);
    }
    await attempt.succeeded();
    await pending.drop(waiting.uid);
    // The account may have been disabled while the code page was open.
    const user = await users.findById(waiting.accountId);
    if (!user || user.disabled) return expired(c);
    logger.info({ requestId: c.get('requestId'), userId: user.id, factor }, 'second factor accepted');
    // A recovery code is a one-time password too (RFC 8176 `otp`).
    return finishSignIn(c, waiting.uid, user.id, ['pwd', 'otp']);
  });

  /** The interaction of this browser waiting for a required password change, and whose it is. */
  async function waitingForChange(c: Context<HonoEnv>) {
    const details = await interactionDetails(host, c.env);
    if (!details || details.uid !== c.req.param('uid') || details.prompt.name !== 'login') return undefined;
    const [accountId, amr] = (await passwordChanges.get(details.uid))?.split(' ') ?? [];
    if (!accountId || !amr) return undefined;
    const client = await host.provider.Client.find(String(details.params.client_id));
    return { uid: details.uid, accountId, amr: amr.split(','), clientName: client?.clientName };
  }

  app.get('/interaction/:uid/change-password', async (c) => {
    const waiting = await waitingForChange(c);
    if (!waiting) return expired(c);
    return c.html(renderChangePasswordPage({ uid: waiting.uid, clientName: waiting.clientName }));
  });

  app.post('/interaction/:uid/change-password', async (c) => {
    const waiting = await waitingForChange(c);
    if (!waiting) return expired(c);
    const view = { uid: waiting.uid, clientName: waiting.clientName };
    const body = (await c.req.parseBody().catch(() => ({}))) as Record<string, unknown>;
    const form = changePasswordForm.safeParse(body);
    if (!form.success) {
      return c.html(renderChangePasswordPage({ ...view, error: form.error.issues[0]?.message }), 400);
    }
    if (form.data.password !== form.data.confirm) {
      return c.html(renderChangePasswordPage({ ...view, error: 'The two passwords are not the same' }), 400);
    }
    const changed = await db.transaction(async (tx) => {
      const locked = createUserStore(tx);
      const found = await locked.passwordHashForUpdate(waiting.accountId);
      if (!found || found.user.disabled) return { expired: true as const };
      const problems = passwordProblems(form.data.password, { email: found.user.email });
      if (await verifyPassword(found.passwordHash, form.data.password)) {
        problems.push('Choose a password different from the current one');
      }
      if (problems.length > 0) return { error: problems[0] };
      await locked.setPassword(waiting.accountId, form.data.password);
      await adminAudit.record(tx, {
        requestId: c.get('requestId'),
        actorId: waiting.accountId,
        clientId: 'sign-in',
        action: 'account.password.required_change',
        targetId: waiting.accountId,
        outcome: 'success',
      });
      return { done: true as const };
    });
    if ('expired' in changed) return expired(c);
    if ('error' in changed) return c.html(renderChangePasswordPage({ ...view, error: changed.error }), 400);
    await passwordChanges.drop(waiting.uid);
    return completeSignIn(c, waiting.accountId, waiting.amr);
  });

  return app;
}
