import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrate } from '@bff-auth/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArtifactStore, createArtifactStore } from './artifact-store';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/** The durable store on a real database (PGlite, or PostgreSQL when DATABASE_URL is set). */
describe('artifact store', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ArtifactStore;
  beforeAll(async () => {
    db = await createTestDatabase('artifacts');
    await migrate(db, MIGRATIONS);
    store = createArtifactStore(db);
  });
  afterAll(() => db.cleanup());

  const session = (id: string) => ({ jti: id, accountId: 'acc-1', kind: 'Session', exp: 0 });

  it('an ended session stays ended when a request that loaded it before writes it back', async () => {
    // oidc-provider saves the session a request loaded when that request ends: a sign-in in one tab racing
    // the end-session in another must not bring the ended session (and its revoked sid) back.
    await store.upsert('Session', 'sess-raced', session('sess-raced'), 3600);
    expect(await store.find('Session', 'sess-raced')).toMatchObject({ accountId: 'acc-1' });
    await store.destroy('Session', 'sess-raced');
    await store.upsert('Session', 'sess-raced', session('sess-raced'), 3600);
    expect(await store.find('Session', 'sess-raced')).toBeUndefined();
    expect(await store.idsByAccount('Session', 'acc-1')).not.toContain('sess-raced');
  });

  it('a revoked grant’s artefacts stay revoked when written back', async () => {
    await store.upsert('Grant', 'grant-1', { jti: 'grant-1', accountId: 'acc-1', kind: 'Grant' }, 3600);
    await store.upsert(
      'RefreshToken',
      'rt-1',
      { jti: 'rt-1', grantId: 'grant-1', kind: 'RefreshToken' },
      3600,
    );
    await store.destroy('Grant', 'grant-1');
    await store.revokeByGrantId('grant-1');
    await store.upsert('Grant', 'grant-1', { jti: 'grant-1', accountId: 'acc-1', kind: 'Grant' }, 3600);
    await store.upsert(
      'RefreshToken',
      'rt-1',
      { jti: 'rt-1', grantId: 'grant-1', kind: 'RefreshToken' },
      3600,
    );
    expect(await store.find('Grant', 'grant-1')).toBeUndefined();
    expect(await store.find('RefreshToken', 'rt-1')).toBeUndefined();
  });

  it('ending an id never stored leaves a tombstone too; tombstones are swept once expired', async () => {
    await store.destroy('Session', 'never-saved');
    await store.upsert('Session', 'never-saved', session('never-saved'), 3600);
    expect(await store.find('Session', 'never-saved')).toBeUndefined();
    await db.query(
      "UPDATE oidc_artifacts SET expires_at = now() - interval '1 second' WHERE id = 'never-saved'",
    );
    expect(await store.deleteExpired()).toBeGreaterThanOrEqual(1);
    const { rows } = await db.query("SELECT id FROM oidc_artifacts WHERE id = 'never-saved'");
    expect(rows).toHaveLength(0);
  });

  it('a live artefact is still updated and consumed as before', async () => {
    await store.upsert('RefreshToken', 'rt-live', { jti: 'rt-live', kind: 'RefreshToken', grantId: 'g' }, 60);
    await store.upsert(
      'RefreshToken',
      'rt-live',
      { jti: 'rt-live', kind: 'RefreshToken', grantId: 'g2' },
      60,
    );
    expect(await store.find('RefreshToken', 'rt-live')).toMatchObject({ grantId: 'g2' });
    await store.consume('RefreshToken', 'rt-live');
    expect((await store.find('RefreshToken', 'rt-live'))?.consumed).toEqual(expect.any(Number));
  });
});
