import { AppError } from '@bff-auth/service-kit/errors';
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import { renderErrorPage } from '../interaction/error-page';
import { pageCsp } from '../interaction/html';
import { renderTooManyAttemptsPage } from '../interaction/views';
import { isPrintableEmailText, isWellFormedText, MAX_EMAIL_LENGTH } from '../users/email-key';
import type { PasswordReset } from './password-reset';
import type { ResetRequestLimiter } from './reset-rate-limit';
import {
  renderInvalidLinkPage,
  renderNewPasswordPage,
  renderPasswordChangedPage,
  renderResetRequestPage,
  renderResetSentPage,
} from './reset-views';

export interface ResetRouteDeps {
  reset: PasswordReset;
  limiter: ResetRequestLimiter;
  logger: Logger;
  /** Where "Continue to sign in" leads after a reset (user-web). */
  continueUrl: string;
}

const requestForm = z.object({
  email: z
    .string({ error: 'Enter your email' })
    .trim()
    .min(1, 'Enter your email')
    .max(MAX_EMAIL_LENGTH, 'That email is too long')
    .refine(isPrintableEmailText, 'Enter a valid email address'),
});

const newPasswordForm = z.object({
  token: z.string().max(100),
  password: z
    .string({ error: 'Enter a new password' })
    .min(1, 'Enter a new password')
    .max(1024, 'That password is too long')
    .refine(isWellFormedText, 'That password contains characters we cannot read'),
  confirm: z.string({ error: 'Repeat the new password' }).max(1024),
});

type HonoEnv = { Bindings: HttpBindings };
const field = (body: Record<string, unknown>, name: string) =>
  typeof body[name] === 'string' ? (body[name] as string) : '';

/** "Forgot password?" and the page of the emailed link, on the provider's origin (SPEC §12). */
/** 429 with `Retry-After` and the "too many attempts" page. */
function tooMany(c: Context<HonoEnv>, retryAfterSeconds: number) {
  c.header('Retry-After', String(retryAfterSeconds));
  return c.html(renderTooManyAttemptsPage(retryAfterSeconds), 429);
}

export function passwordResetRoutes({ reset, limiter, logger, continueUrl }: ResetRouteDeps) {
  const app = new Hono<HonoEnv>();

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', pageCsp());
    c.header('X-Frame-Options', 'DENY');
    // The link's token is in the address: never sent on as a Referer, never cached.
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  });

  app.onError((err, c) => {
    logger.error({ err, requestId: c.get('requestId') }, 'password reset page failed');
    return c.html(renderErrorPage({ code: 'temporarily_unavailable', requestId: c.get('requestId') }), 503);
  });

  app.get('/password-reset', (c) => c.html(renderResetRequestPage()));

  app.post('/password-reset', async (c) => {
    const body = (await c.req.parseBody().catch(() => ({}))) as Record<string, unknown>;
    const form = requestForm.safeParse(body);
    if (!form.success) {
      const typed = field(body, 'email');
      const email = typed.length <= MAX_EMAIL_LENGTH && isPrintableEmailText(typed) ? typed : '';
      return c.html(renderResetRequestPage({ email, error: form.error.issues[0]?.message }), 400);
    }
    const ip = c.env.incoming.socket.remoteAddress ?? 'unknown';
    const verdict = await limiter.request(form.data.email, ip);
    if (!verdict.allowed) return tooMany(c, verdict.retryAfterSeconds);
    reset.request(form.data.email, c.get('requestId'), ip);
    return c.html(renderResetSentPage());
  });

  // Every visit or submission of a link's page counts against the address, before the token is looked at.
  app.use('/password-reset/new', async (c, next) => {
    const verdict = await limiter.linkUse(c.env.incoming.socket.remoteAddress ?? 'unknown');
    if (!verdict.allowed) return tooMany(c, verdict.retryAfterSeconds);
    await next();
  });

  app.get('/password-reset/new', async (c) => {
    const token = c.req.query('token') ?? '';
    if (!(await reset.check(token))) return c.html(renderInvalidLinkPage(), 400);
    return c.html(renderNewPasswordPage({ token }));
  });

  app.post('/password-reset/new', async (c) => {
    const body = (await c.req.parseBody().catch(() => ({}))) as Record<string, unknown>;
    const token = field(body, 'token');
    if (!(await reset.check(token))) return c.html(renderInvalidLinkPage(), 400);
    const form = newPasswordForm.safeParse(body);
    if (!form.success) {
      return c.html(renderNewPasswordPage({ token, error: form.error.issues[0]?.message }), 400);
    }
    if (form.data.password !== form.data.confirm) {
      return c.html(renderNewPasswordPage({ token, error: 'The two passwords are not the same' }), 400);
    }
    try {
      await reset.complete({
        token,
        password: form.data.password,
        requestId: c.get('requestId'),
        ip: c.env.incoming.socket.remoteAddress ?? 'unknown',
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'weak_password') {
        return c.html(renderNewPasswordPage({ token, error: error.message }), 400);
      }
      return c.html(renderInvalidLinkPage(), 400);
    }
    return c.html(renderPasswordChangedPage(continueUrl));
  });

  return app;
}
