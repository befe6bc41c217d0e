import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ProviderHost } from '../oidc/provider-host';
import { burnPasswordCheck, verifyPassword } from '../users/passwords';
import type { UserStore } from '../users/user-store';
import { pageCsp, STYLESHEET } from './html';
import type { LoginRateLimiter } from './login-rate-limit';
import { renderErrorPage, renderLoginPage, renderTooManyAttemptsPage } from './views';

export interface InteractionDeps {
  host: ProviderHost;
  users: UserStore;
  limiter: LoginRateLimiter;
  logger: Logger;
  /** Counters of refused sign-ins (`auth_sign_in_failures_total`, `auth_sign_in_limited_total`). */
  signInMetrics?: { failures: { inc(): void }; limited: { inc(): void } };
}

const loginForm = z.object({
  email: z.string().trim().min(1, 'Enter your email').max(254, 'That email is too long'),
  password: z.string().min(1, 'Enter your password').max(1024, 'That password is too long'),
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

  app.get('/assets/auth.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(STYLESHEET);
  });

  app.get('/interaction/:uid', async (c) => {
    const details = await interactionDetails(host, c.env);
    if (!details || details.uid !== c.req.param('uid')) {
      return c.html(
        renderErrorPage('This sign-in link has expired. Go back to the app and sign in again.'),
        400,
      );
    }
    const client = await host.provider.Client.find(String(details.params.client_id));
    return c.html(renderLoginPage({ uid: details.uid, clientName: client?.clientName }));
  });

  app.post('/interaction/:uid/login', async (c) => {
    const details = await interactionDetails(host, c.env);
    if (!details || details.uid !== c.req.param('uid') || details.prompt.name !== 'login') {
      return c.html(
        renderErrorPage('This sign-in link has expired. Go back to the app and sign in again.'),
        400,
      );
    }
    const client = await host.provider.Client.find(String(details.params.client_id));
    const view = { uid: details.uid, clientName: client?.clientName };

    const body = await c.req.parseBody().catch(() => ({}));
    const form = loginForm.safeParse(body);
    if (!form.success) {
      const email =
        typeof (body as Record<string, unknown>).email === 'string'
          ? String((body as Record<string, unknown>).email)
          : '';
      return c.html(
        renderLoginPage({ ...view, email: email.slice(0, 254), error: form.error.issues[0]?.message }),
        400,
      );
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
    if (!credentials || !valid) {
      await limiter.recordFailure(email, ip);
      signInMetrics?.failures.inc();
      logger.info({ requestId: c.get('requestId'), outcome: 'bad_credentials' }, 'sign-in refused');
      return c.html(renderLoginPage({ ...view, email, error: 'Incorrect email or password.' }), 401);
    }
    if (credentials.user.disabled) {
      logger.info(
        { requestId: c.get('requestId'), userId: credentials.user.id, outcome: 'disabled' },
        'sign-in refused',
      );
      return c.html(
        renderLoginPage({ ...view, email, error: 'This account is disabled. Contact your administrator.' }),
        403,
      );
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
