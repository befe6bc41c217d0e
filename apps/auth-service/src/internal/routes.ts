import type { RevocationStore } from '@bff-auth/revocation';
import { notFound, unprocessable } from '@bff-auth/service-kit/errors';
import { fieldErrors, readJson, success } from '@bff-auth/service-kit/http';
import { Hono, type MiddlewareHandler } from 'hono';
import type { SessionAdmin } from '../sessions/session-admin';
import { userNotFound } from '../users/errors';
import type { UserStore } from '../users/user-store';
import { createUserBody, listQuery, updateUserBody } from './schemas';

export interface InternalDeps {
  users: UserStore;
  sessions: SessionAdmin;
  revocation: RevocationStore;
  auth: MiddlewareHandler;
}

/** The user-management API that admin-api calls with its client-credentials token. */
export function internalRoutes({ users, sessions, revocation, auth }: InternalDeps) {
  const app = new Hono();
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
    return success(c, await users.create(body), 201);
  });

  app.get('/users/:id', async (c) => success(c, await getUser(c.req.param('id'))));

  app.patch('/users/:id', async (c) => {
    const body = await readJson(c, updateUserBody);
    const before = await getUser(c.req.param('id'));
    const user = await users.update(before.id, body);
    if (body.roles && body.roles.join(',') !== before.roles.join(',')) {
      await revocation.markRolesChanged(user.id);
      await revocation.publish({ type: 'roles-changed', userId: user.id });
    }
    return success(c, user);
  });

  app.post('/users/:id/disable', async (c) => {
    const { id } = await getUser(c.req.param('id'));
    // Redis first: if it cannot be written the call fails and nothing claims to be disabled.
    await revocation.setUserDisabled(id, true);
    const user = await users.setDisabled(id, true);
    await sessions.revokeAll(id);
    await revocation.publish({ type: 'user-disabled', userId: id });
    return success(c, user);
  });

  app.post('/users/:id/enable', async (c) => {
    const { id } = await getUser(c.req.param('id'));
    const user = await users.setDisabled(id, false);
    await revocation.setUserDisabled(id, false);
    await revocation.publish({ type: 'user-enabled', userId: id });
    return success(c, user);
  });

  app.post('/users/:id/logout', async (c) => {
    const { id } = await getUser(c.req.param('id'));
    return success(c, { revokedSessions: await sessions.revokeAll(id) });
  });

  app.get('/users/:id/sessions', async (c) => {
    const { id } = await getUser(c.req.param('id'));
    return success(c, await sessions.list(id));
  });

  app.all('*', () => {
    throw notFound('No such route');
  });
  return app;
}
