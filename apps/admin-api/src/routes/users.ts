import { methodNotAllowed, readJson, success } from '@bff-auth/service-kit/http';
import type { Logger } from '@bff-auth/service-kit/logger';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { AuditLog } from '../audit/audit-log';
import { type AdminEnv, audited } from '../audit/audited';
import { requireAdmin } from '../require-admin';
import type { StepUpRule } from '../step-up/step-up';
import type { AuthServiceClient, CallContext } from '../upstream/auth-service-client';
import type { User } from '../upstream/auth-service-types';
import { newUserSchema, parseInput, userChangeSchema, userIdParam, userListQuerySchema } from './inputs';

/** The request id and the acting admin, passed on to the auth service with every call. */
const callContext = (c: Context<AdminEnv>): CallContext => ({
  requestId: c.var.requestId,
  actorId: c.var.auth.userId,
  subjectToken: c.var.accessToken,
});

const summary = (user: User) => ({ name: user.name ?? null, roles: user.roles, disabled: user.disabled });

/**
 * `/api/v1/admin/users`: user management through the auth service's internal API. Every route is
 * audited (first), then requires the admin role, then validates its input.
 */
export function userRoutes({
  users,
  audit,
  logger,
  stepUp,
}: {
  users: AuthServiceClient;
  audit: AuditLog;
  logger: Logger;
  /** Disable, force logout and role changes need a recent sign-in with the second factor (SPEC §12). */
  stepUp: StepUpRule;
}) {
  const app = new Hono<AdminEnv>();
  const admin = (action: string) => [audited(action, audit, logger), requireAdmin()] as const;
  /** Refusals without a recent sign-in are audited too (outcome denied, `step_up_required`). */
  const destructive = (action: string) => [...admin(action), stepUp.required<AdminEnv>()] as const;

  app.get('/', ...admin('users.list'), async (c) => {
    const query = parseInput(userListQuerySchema, c.req.query());
    c.var.audit.details = { q: query.q ?? null, page: query.page, pageSize: query.pageSize };
    return success(c, await users.listUsers(query, callContext(c)));
  });

  app.post('/', ...admin('users.create'), async (c) => {
    const input = await readJson(c, newUserSchema);
    c.var.audit.details = { email: input.email, roles: input.roles }; // never the password
    const created = await users.createUser(input, callContext(c));
    c.var.audit.targetId = created.id;
    c.var.audit.after = { email: created.email, ...summary(created) };
    return success(c, created, 201);
  });
  app.all('/', methodNotAllowed(['GET', 'POST']));

  app.get('/:id', ...admin('users.read'), async (c) =>
    success(c, await users.getUser(userIdParam(c), callContext(c))),
  );

  app.patch('/:id', ...admin('users.update'), async (c) => {
    const id = userIdParam(c);
    const change = await readJson(c, userChangeSchema);
    c.var.audit.details = change;
    if (change.roles !== undefined) stepUp.check(c);
    const before = await users.getUser(id, callContext(c));
    c.var.audit.before = { name: before.name ?? null, roles: before.roles };
    const after = await users.updateUser(id, change, callContext(c));
    c.var.audit.after = { name: after.name ?? null, roles: after.roles };
    return success(c, after);
  });
  app.all('/:id', methodNotAllowed(['GET', 'PATCH']));

  for (const disabled of [true, false]) {
    const verb = disabled ? 'disable' : 'enable';
    // Disabling is destructive (step-up); enabling is not.
    const stepUpOrNot: MiddlewareHandler<AdminEnv> = disabled
      ? stepUp.required<AdminEnv>()
      : (_c, next) => next();
    app.post(`/:id/${verb}`, ...admin(`users.${verb}`), stepUpOrNot, async (c) => {
      const id = userIdParam(c);
      const before = await users.getUser(id, callContext(c));
      c.var.audit.before = { disabled: before.disabled };
      const after = await users.setDisabled(id, disabled, callContext(c));
      c.var.audit.after = { disabled: after.disabled };
      return success(c, after);
    });
    app.all(`/:id/${verb}`, methodNotAllowed(['POST']));
  }

  app.post('/:id/logout', ...destructive('users.logout'), async (c) => {
    const result = await users.logoutUser(userIdParam(c), callContext(c));
    c.var.audit.after = result;
    return success(c, result);
  });
  app.all('/:id/logout', methodNotAllowed(['POST']));

  app.post('/:id/password-reset', ...admin('users.password_reset.send'), async (c) => {
    const result = await users.sendPasswordReset(userIdParam(c), callContext(c));
    c.var.audit.after = result; // never the link: only the auth service and the mail see it
    return success(c, result);
  });
  app.all('/:id/password-reset', methodNotAllowed(['POST']));

  app.post('/:id/require-password-change', ...admin('users.password_change.require'), async (c) => {
    const result = await users.requirePasswordChange(userIdParam(c), callContext(c));
    c.var.audit.after = result;
    return success(c, result);
  });
  app.all('/:id/require-password-change', methodNotAllowed(['POST']));

  app.get('/:id/sessions', ...admin('users.sessions'), async (c) =>
    success(c, await users.listSessions(userIdParam(c), callContext(c))),
  );
  app.all('/:id/sessions', methodNotAllowed(['GET']));

  return app;
}
