import { methodNotAllowed, readJson, success } from '@bff-auth/service-kit/http';
import type { AuthEnv } from '@bff-auth/token-verifier';
import { Hono } from 'hono';
import { profileUpdateSchema } from '../profiles/profile';
import type { ProfileRepository } from '../profiles/profile-repository';

/**
 * `/api/v1/profiles`: only `me` exists. The user comes from the verified token (`c.var.auth`), never from
 * the path, the query, the body or a header, so no input can name another user's profile.
 */
export function profileRoutes(profiles: ProfileRepository) {
  const app = new Hono<AuthEnv>();
  app.get('/me', async (c) => success(c, await profiles.getOrCreate(c.var.auth)));
  app.put('/me', async (c) => {
    const update = await readJson(c, profileUpdateSchema);
    return success(c, await profiles.update(c.var.auth, update));
  });
  app.all('/me', methodNotAllowed(['GET', 'PUT']));
  return app;
}
