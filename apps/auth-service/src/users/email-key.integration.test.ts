import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrate } from '@bff-auth/db';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailKey, isPrintableEmailText } from './email-key';
import { createUserStore } from './user-store';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

describe('emailKey', () => {
  it('is NFKC then lower case, and idempotent', () => {
    expect(emailKey(' ＡＤＭＩＮ@Example.COM ')).toBe('admin@example.com');
    expect(emailKey('admİn@example.com')).toBe('admi\u0307n@example.com');
    // NFKC makes "space + combining mark" of U+2017: trimmed after normalising, so the key is its own key.
    expect(emailKey('\u2017')).toBe('\u0333');
    expect(emailKey(emailKey('\u2017'))).toBe(emailKey('\u2017'));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(emailKey(emailKey(s))).toBe(emailKey(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses control, format and lone-surrogate characters', () => {
    for (const bad of ['a\u0000b', 'a\u0007', '\u202Eevil', 'ad\u200Dmin', 'x\ud800']) {
      expect(isPrintableEmailText(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(isPrintableEmailText('zoë+tag@exämple.com')).toBe(true);
  });
});

describe('migration 003 (email_key) on existing users', () => {
  it('gives rows written before it their key, so they still sign in in any spelling', async () => {
    const db = await createTestDatabase('authdb-upgrade');
    const before = await mkdtemp(join(tmpdir(), 'auth-migrations-'));
    try {
      for (const file of (await readdir(MIGRATIONS)).filter((f) => f < '003')) {
        await copyFile(join(MIGRATIONS, file), join(before, file));
      }
      await migrate(db, before);
      await db.query(
        `INSERT INTO users (id, email, name, password_hash) VALUES
         ('00000000-0000-4000-8000-000000000001', 'Mary@Example.com', 'Mary', 'x')`,
      );
      expect(await migrate(db, MIGRATIONS)).toContain('003_email_key.sql');
      const users = createUserStore(db);
      for (const spelling of ['mary@example.com', 'MARY@EXAMPLE.COM', 'ｍａｒｙ@example.com']) {
        expect((await users.findCredentials(spelling))?.user.email, spelling).toBe('Mary@Example.com');
      }
      await expect(
        users.create({ email: 'MARY@example.com', name: 'x', password: 'p', roles: [] }),
      ).rejects.toMatchObject({ code: 'email_taken' });
    } finally {
      await rm(before, { recursive: true, force: true });
      await db.cleanup();
    }
  });
});
