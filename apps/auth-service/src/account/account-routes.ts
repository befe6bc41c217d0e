import type { Queryable } from '@bff-auth/db';
import { AppError, notFound } from '@bff-auth/service-kit/errors';
import { methodNotAllowed, readJson, success } from '@bff-auth/service-kit/http';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { adminAudit } from '../internal/audit-trail';
import type { InternalEnv } from '../internal/require-client-token';
import type { SessionAdmin } from '../sessions/session-admin';
import type { CodeAttemptLimit } from '../two-step/code-attempt-limit';
import { qrCodeSvg } from '../two-step/qr-code';
import type { TwoStepStore } from '../two-step/two-step-store';
import { userNotFound } from '../users/errors';
import type { UserStore } from '../users/user-store';
import { endOthersBody, isProviderId, passwordChangeBody, twoStepCodeBody } from './account-schemas';
import type { ChangePassword } from './password-change';

export interface AccountRoutesDeps {
  db: Queryable;
  users: UserStore;
  sessions: SessionAdmin;
  changePassword: ChangePassword;
  twoStep: TwoStepStore;
  codeAttempts: CodeAttemptLimit;
  auth: MiddlewareHandler<InternalEnv>;
}

const sessionNotFound = () => new AppError(404, 'session_not_found', 'You have no session with this id');

/**
 * The self-service account API that user-api calls with its own client-credentials token (audience
 * `auth-account`), always for the `sub` of the user's verified token — the user in the path is user-api's
 * word, and user-api puts nothing else there. Sessions are named by their uid, never by their cookie id.
 */
export function accountRoutes({
  db,
  users,
  sessions,
  changePassword,
  twoStep,
  codeAttempts,
  auth,
}: AccountRoutesDeps) {
  const app = new Hono<InternalEnv>();
  app.use('*', auth);

  async function userOf(c: Context<InternalEnv>) {
    const user = await users.findById(c.req.param('userId') ?? '');
    if (!user || user.disabled) throw userNotFound();
    return user;
  }
  const audited = (c: Context<InternalEnv>, userId: string, action: string, after: unknown) =>
    adminAudit.record(db, {
      requestId: c.var.requestId,
      actorId: userId,
      clientId: c.var.clientId,
      action,
      targetId: userId,
      outcome: 'success',
      after,
    });

  app.get('/users/:userId/sessions', async (c) => success(c, await sessions.list((await userOf(c)).id)));
  app.all('/users/:userId/sessions', methodNotAllowed(['GET']));

  app.post('/users/:userId/sessions/end-others', async (c) => {
    const { id } = await userOf(c);
    const { currentSid } = await readJson(c, endOthersBody);
    const endedSessions = await sessions.revokeOthers(id, currentSid);
    await audited(c, id, 'account.sessions.end-others', { endedSessions });
    return success(c, { endedSessions });
  });
  app.all('/users/:userId/sessions/end-others', methodNotAllowed(['POST']));

  app.delete('/users/:userId/sessions/:sessionId', async (c) => {
    const { id } = await userOf(c);
    const sessionId = c.req.param('sessionId');
    if (!isProviderId(sessionId) || !(await sessions.revokeOne(id, sessionId))) throw sessionNotFound();
    await audited(c, id, 'account.sessions.end', { session: sessionId });
    return success(c, { ended: true });
  });
  app.all('/users/:userId/sessions/:sessionId', methodNotAllowed(['DELETE']));

  app.post('/users/:userId/password', async (c) => {
    const { id } = await userOf(c);
    const body = await readJson(c, passwordChangeBody);
    return success(
      c,
      await changePassword({ ...body, userId: id, clientId: c.var.clientId, requestId: c.var.requestId }),
    );
  });
  app.all('/users/:userId/password', methodNotAllowed(['POST']));

  // Two-step verification (TOTP). Typed codes are limited per user; a refused one is audited.
  app.get('/users/:userId/two-step', async (c) => success(c, await twoStep.status((await userOf(c)).id)));
  app.all('/users/:userId/two-step', methodNotAllowed(['GET']));

  app.post('/users/:userId/two-step/enrolment', async (c) => {
    const user = await userOf(c);
    const { secret, uri } = await twoStep.begin(user.id, user.email);
    await audited(c, user.id, 'account.two-step.enrol', undefined);
    return success(c, { manualKey: secret, otpauthUri: uri, qrSvg: await qrCodeSvg(uri) });
  });
  app.all('/users/:userId/two-step/enrolment', methodNotAllowed(['POST']));

  const withCode =
    <T>(action: string, change: (userId: string, code: string, c: Context<InternalEnv>) => Promise<T>) =>
    async (c: Context<InternalEnv>) => {
      const { id } = await userOf(c);
      const { code } = await readJson(c, twoStepCodeBody);
      await codeAttempts.take(id);
      try {
        const result = await change(id, code, c);
        await codeAttempts.succeeded(id);
        return success(c, result);
      } catch (error) {
        if (error instanceof AppError && error.status === 422) {
          await adminAudit.record(db, {
            requestId: c.var.requestId,
            actorId: id,
            clientId: c.var.clientId,
            action,
            targetId: id,
            outcome: 'refused',
            errorCode: error.code,
          });
        }
        throw error;
      }
    };
  const auditOf = (c: Context<InternalEnv>) => ({ requestId: c.var.requestId, clientId: c.var.clientId });
  app.post(
    '/users/:userId/two-step/confirm',
    withCode('account.two-step.enable', (id, code, c) => twoStep.confirm(id, code, auditOf(c))),
  );
  app.all('/users/:userId/two-step/confirm', methodNotAllowed(['POST']));
  app.post(
    '/users/:userId/two-step/disable',
    withCode('account.two-step.disable', (id, code, c) => twoStep.disable(id, code, auditOf(c))),
  );
  app.all('/users/:userId/two-step/disable', methodNotAllowed(['POST']));

  app.all('*', () => {
    throw notFound('No such route');
  });
  return app;
}
