import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ProviderHost } from '../oidc/provider-host';
import { isPrintableEmailText, isWellFormedText, MAX_EMAIL_LENGTH } from '../users/email-key';
import { burnPasswordCheck, verifyPassword } from '../users/passwords';
import type { UserStore } from '../users/user-store';
import { renderErrorPage } from './error-page';
import { pageCsp, STYLESHEET } from './html';
import type { LoginRateLimiter } from './login-rate-limit';
import { renderLoginPage, renderTooManyAttemptsPage } from './views';

export interface InteractionDeps {
  host: ProviderHost;
  users: UserStore;
  limiter: LoginRateLimiter;
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

/** The provider's own sign-in page (no consent screen: our clients are first-party). */
export function interactionRoutes({ host, users, limiter, logger, signInMetrics }: InteractionDeps) {
  const app = new Hono<{ Bindings: HttpBindings }>();

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
    const ip = c.env.incoming.socket.remoteAddress ?? 'unknown';

    const verdict = await limiter.beforeAttempt(email, ip);
    if (!verdict.allowed) {
      signInMetrics?.limited.inc();
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      return c.html(renderTooManyAttemptsPage(verdict.retryAfterSeconds), 429);
    }

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

    await limiter.recordSuccess(email, ip);
    await users.recordSignIn(credentials.user.id);
    logger.info({ requestId: c.get('requestId'), userId: credentials.user.id }, 'signed in');
    const redirectTo = await host.provider.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { login: { accountId: credentials.user.id } },
      { mergeWithLastSubmission: false },
    );
    return c.redirect(redirectTo, 303);
  });

  return app;
}

async function interactionDetails(host: ProviderHost, env: HttpBindings) {
  try {
    return await host.provider.interactionDetails(env.incoming, env.outgoing);
  } catch {
    return undefined; // expired or missing interaction cookie
  }
}
