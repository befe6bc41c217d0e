import { AppError, notFound } from '@bff-auth/service-kit/errors';
import { methodNotAllowed, readJson, success } from '@bff-auth/service-kit/http';
import { currentPasswordSchema, newPasswordSchema } from '@bff-auth/service-kit/passwords';
import type { AuthEnv } from '@bff-auth/token-verifier';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AccountClient } from '../account/account-client';
import { toSessionView } from '../account/session-view';

/** Provider session uids: nanoid, base64url. Anything else names no session (404, nothing sent on). */
const SESSION_ID = /^[A-Za-z0-9_-]{1,256}$/;

const passwordChangeBody = z.strictObject({
  currentPassword: currentPasswordSchema,
  newPassword: newPasswordSchema,
});

/** A code for two-step verification: 6 digits of the app, or a recovery code. */
const twoStepCodeBody = z.strictObject({
  code: z.string({ error: 'Enter a code' }).trim().min(1, 'Enter a code').max(64, 'That code is too long'),
});

/** The `sid` of the caller's token: without one there is no "this session" to keep. */
function currentSid(c: Context<AuthEnv>): string {
  const { sid } = c.var.auth;
  if (!sid) throw new AppError(403, 'session_required', 'This needs a token of a signed-in session');
  return sid;
}

/**
 * `/api/v1/me`: the signed-in user's own account (SPEC §12). The user is the verified token's `sub` and
 * "this session" its `sid` — never an id from the path, the query, the body or a header. Sessions and the
 * password live at the auth service, reached with user-api's own client-credentials token.
 */
export function meRoutes(account: AccountClient) {
  const app = new Hono<AuthEnv>();

  app.get('/sessions', async (c) => {
    const sessions = await account.listSessions(c.var.auth.userId, c.var.requestId);
    return success(
      c,
      sessions.map((session) => toSessionView(session, c.var.auth.sid)),
    );
  });
  app.all('/sessions', methodNotAllowed(['GET']));

  app.post('/sessions/end-others', async (c) => {
    const sid = currentSid(c);
    return success(c, await account.endOtherSessions(c.var.auth.userId, sid, c.var.requestId));
  });
  app.all('/sessions/end-others', methodNotAllowed(['POST']));

  app.delete('/sessions/:id', async (c) => {
    const id = c.req.param('id');
    if (!SESSION_ID.test(id))
      throw new AppError(404, 'session_not_found', 'You have no session with this id');
    await account.endSession(c.var.auth.userId, id, c.var.requestId);
    return success(c, { ended: true });
  });
  app.all('/sessions/:id', methodNotAllowed(['DELETE']));

  app.post('/password', async (c) => {
    const sid = currentSid(c);
    const body = await readJson(c, passwordChangeBody);
    return success(
      c,
      await account.changePassword(c.var.auth.userId, { ...body, currentSid: sid }, c.var.requestId),
    );
  });
  app.all('/password', methodNotAllowed(['POST']));

  // Two-step verification (TOTP): status, enrolment (QR code and manual key), confirm, turn off.
  app.get('/two-step', async (c) =>
    success(c, await account.twoStepStatus(c.var.auth.userId, c.var.requestId)),
  );
  app.all('/two-step', methodNotAllowed(['GET']));
  app.post('/two-step/enrolment', async (c) =>
    success(c, await account.beginTwoStep(c.var.auth.userId, c.var.requestId)),
  );
  app.all('/two-step/enrolment', methodNotAllowed(['POST']));
  app.post('/two-step/confirm', async (c) => {
    const { code } = await readJson(c, twoStepCodeBody);
    return success(c, await account.confirmTwoStep(c.var.auth.userId, code, c.var.requestId));
  });
  app.all('/two-step/confirm', methodNotAllowed(['POST']));
  app.post('/two-step/disable', async (c) => {
    const { code } = await readJson(c, twoStepCodeBody);
    return success(c, await account.disableTwoStep(c.var.auth.userId, code, c.var.requestId));
  });
  app.all('/two-step/disable', methodNotAllowed(['POST']));

  app.all('*', () => {
    throw notFound('No such route');
  });
  return app;
}
