import { AppError, notFound, unprocessable } from '@bff-auth/service-kit/errors';
import { fieldErrors, methodNotAllowed, readJson, success } from '@bff-auth/service-kit/http';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { PasswordReset } from '../password-reset/password-reset';
import type { SessionAdmin } from '../sessions/session-admin';
import { userNotFound } from '../users/errors';
import type { UserStore } from '../users/user-store';
import type { InternalEnv } from './require-client-token';
import { ACTING_ADMIN_HEADER, actingAdminHeader, createUserBody, listQuery, updateUserBody } from './schemas';
import type { AdminActor, UserAdmin } from './user-admin';

export interface InternalDeps {
  users: UserStore;
  admin: UserAdmin;
  sessions: SessionAdmin;
  /** **Send password reset** (SPEC §12). */
  passwordReset: PasswordReset;
  auth: MiddlewareHandler<InternalEnv>;
}

/**
 * The acting admin of a change: the subject of a token admin-api exchanged for them (the auth service
 * signed who it is), or, with admin-api's own client-credentials token, the `X-Acting-Admin` header only
 * admin-api can send. A header beside an exchanged token must name the same admin.
 */
function actorOf(c: Context<InternalEnv>): AdminActor {
  const fromToken = c.var.actorId;
  if (fromToken !== undefined) {
    const header = c.req.header(ACTING_ADMIN_HEADER);
    if (header !== undefined && header !== fromToken) {
      throw new AppError(
        403,
        'actor_mismatch',
        'X-Acting-Admin names someone other than the token’s subject',
      );
    }
    return { actorId: fromToken, clientId: c.var.clientId, requestId: c.var.requestId };
  }
  const parsed = actingAdminHeader.safeParse(c.req.header(ACTING_ADMIN_HEADER));
  if (!parsed.success) {
    throw new AppError(422, 'validation_failed', 'The request is invalid', {
      details: { [ACTING_ADMIN_HEADER]: fieldErrors(parsed.error)._ ?? ['Not a valid user id'] },
    });
  }
  return { actorId: parsed.data, clientId: c.var.clientId, requestId: c.var.requestId };
}

/**
 * The user-management API that admin-api calls with a token exchanged from the acting admin's (RFC 8693:
 * `sub` the admin, `act` admin-api) — or its client-credentials token naming the admin in
 * `X-Acting-Admin`. Every change is written with its audit row (actor, client) in one transaction (see
 * user-admin.ts).
 */
export function internalRoutes({ users, admin, sessions, passwordReset, auth }: InternalDeps) {
  const app = new Hono<InternalEnv>();
  app.use('*', auth);

  async function getUser(id: string) {
    const user = await users.findById(id);
    if (!user) throw userNotFound();
    return user;
  }

  app.get('/users', async (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) throw unprocessable('The query is invalid', fieldErrors(query.error));
    return success(c, await users.list(query.data));
  });
  app.post('/users', async (c) => {
    const body = await readJson(c, createUserBody);
    return success(c, await admin.create(actorOf(c), body), 201);
  });
  app.all('/users', methodNotAllowed(['GET', 'POST']));

  app.get('/users/:id', async (c) => success(c, await getUser(c.req.param('id'))));
  app.patch('/users/:id', async (c) => {
    const body = await readJson(c, updateUserBody);
    return success(c, await admin.update(actorOf(c), c.req.param('id'), body));
  });
  app.all('/users/:id', methodNotAllowed(['GET', 'PATCH']));

  for (const disabled of [true, false]) {
    const path = `/users/:id/${disabled ? 'disable' : 'enable'}`;
    app.post(path, async (c) =>
      success(c, await admin.setDisabled(actorOf(c), c.req.param('id') ?? '', disabled)),
    );
    app.all(path, methodNotAllowed(['POST']));
  }

  app.post('/users/:id/logout', async (c) => success(c, await admin.logout(actorOf(c), c.req.param('id'))));
  app.all('/users/:id/logout', methodNotAllowed(['POST']));

  app.post('/users/:id/password-reset', async (c) =>
    success(c, await passwordReset.sendForAdmin(actorOf(c), c.req.param('id'))),
  );
  app.all('/users/:id/password-reset', methodNotAllowed(['POST']));

  app.post('/users/:id/require-password-change', async (c) =>
    success(c, await admin.requirePasswordChange(actorOf(c), c.req.param('id'))),
  );
  app.all('/users/:id/require-password-change', methodNotAllowed(['POST']));

  app.get('/users/:id/sessions', async (c) => {
    const { id } = await getUser(c.req.param('id'));
    return success(c, await sessions.list(id));
  });
  app.all('/users/:id/sessions', methodNotAllowed(['GET']));

  app.all('*', () => {
    throw notFound('No such route');
  });
  return app;
}
