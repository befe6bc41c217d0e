import { AsyncLocalStorage } from 'node:async_hooks';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrate } from '@bff-auth/db';
import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArtifactStore } from './artifact-store';
import { createStorageAdapter } from './storage-adapter';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Two requests of one browser at once, as oidc-provider runs them: each loads the session at its start and
 * writes the whole of it back at its end. The requests' contexts come from an AsyncLocalStorage of the
 * test's own, standing in for the provider's (`Provider.ctx`).
 */
describe('provider sessions written by concurrent requests', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let t: TestRedis;
  let sessions: Adapter;
  const requests = new AsyncLocalStorage<object>();
  const inRequest = <T>(fn: () => Promise<T>) => requests.run({}, fn);

  beforeAll(async () => {
    db = await createTestDatabase('session-writes');
    await migrate(db, MIGRATIONS);
    t = await createTestRedis('session-writes');
    const factory = createStorageAdapter({
      redis: t.redis,
      artifacts: createArtifactStore(db),
      currentRequest: () => requests.getStore(),
    });
    sessions = factory('Session');
  });
  afterAll(async () => {
    await t.cleanup();
    await db.cleanup();
  });

  const stored = (id: string): AdapterPayload => ({
    jti: id,
    kind: 'Session',
    accountId: 'acc-1',
    loginTs: 1,
    authorizations: { 'user-web': { sid: 'sid-1', grantId: 'g-1' } },
  });

  it('a request that only read the session does not undo the end-session state another wrote meanwhile', async () => {
    await sessions.upsert('s-logout', stored('s-logout'), 3600);
    let releaseSignIn!: () => void;
    const signInMayFinish = new Promise<void>((resolve) => {
      releaseSignIn = resolve;
    });
    // Tab 2: a sign-in loads the session, and writes it back unchanged when it ends.
    const signIn = inRequest(async () => {
      const read = await sessions.find('s-logout');
      await signInMayFinish;
      await sessions.upsert('s-logout', read!, 3600);
    });
    // Tab 1: end-session stores its logout state while the sign-in is in flight.
    await inRequest(async () => {
      const read = await sessions.find('s-logout');
      await sessions.upsert('s-logout', { ...read!, state: { secret: 'xsrf', clientId: 'user-web' } }, 3600);
    });
    releaseSignIn();
    await signIn;
    expect((await sessions.find('s-logout'))?.state).toEqual({ secret: 'xsrf', clientId: 'user-web' });
  });

  it('two requests changing different clients’ authorizations both keep their change', async () => {
    await sessions.upsert('s-two', stored('s-two'), 3600);
    const gates: Array<() => void> = [];
    const gate = () => new Promise<void>((resolve) => gates.push(resolve));
    const bothRead = [gate(), gate()];
    const request = (change: (read: AdapterPayload) => AdapterPayload, index: number) =>
      inRequest(async () => {
        const read = await sessions.find('s-two');
        gates[index]!();
        await Promise.all(bothRead);
        await sessions.upsert('s-two', change(read!), 3600);
      });
    await Promise.all([
      request(
        (read) => ({ ...read, authorizations: { ...read.authorizations, 'admin-web': { sid: 'sid-2' } } }),
        0,
      ),
      request(
        (read) => ({
          ...read,
          authorizations: { ...read.authorizations, 'user-web': { sid: 'sid-1', grantId: 'g-2' } },
        }),
        1,
      ),
    ]);
    expect((await sessions.find('s-two'))?.authorizations).toEqual({
      'user-web': { sid: 'sid-1', grantId: 'g-2' },
      'admin-web': { sid: 'sid-2' },
    });
  });

  it('a session ended while a request held it stays ended after that request writes it back', async () => {
    await sessions.upsert('s-ended', stored('s-ended'), 3600);
    await inRequest(async () => {
      const read = await sessions.find('s-ended');
      await sessions.destroy('s-ended');
      await sessions.upsert('s-ended', read!, 3600);
    });
    expect(await sessions.find('s-ended')).toBeUndefined();
  });

  it('a new session (never read) is written as given', async () => {
    await inRequest(async () => sessions.upsert('s-new', stored('s-new'), 3600));
    expect(await sessions.find('s-new')).toMatchObject({ accountId: 'acc-1' });
  });
});
