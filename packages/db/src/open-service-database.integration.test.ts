import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from './database';
import { openServiceDatabase } from './open-service-database';

const url = process.env.DATABASE_URL;

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return Boolean((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount);
  } finally {
    await admin.end();
  }
}

describe('openServiceDatabase on PGlite', () => {
  it('ignores the name prefix: the folder under DATA_DIR is already per system', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'data-'));
    const migrationsDir = await mkdtemp(join(tmpdir(), 'migrations-'));
    await writeFile(join(migrationsDir, '001_items.sql'), 'CREATE TABLE items (name text NOT NULL);\n');
    try {
      const db = await openServiceDatabase({ name: 'apidb', namePrefix: 't_x_', dataDir, migrationsDir });
      await db.close();
      expect(await readdir(dataDir)).toEqual(['apidb']);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await rm(migrationsDir, { recursive: true, force: true });
    }
  });
});

// Two systems (an e2e run beside another) share one PostgreSQL server through DATABASE_NAME_PREFIX.
// Defined only when DATABASE_URL names a server (`.ci/run` sets it when one answers).
if (url)
  describe('openServiceDatabase on PostgreSQL', () => {
    const prefixes = [`t_a${randomUUID().slice(0, 8)}_`, `t_b${randomUUID().slice(0, 8)}_`];
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'migrations-'));
      await writeFile(join(dir, '001_items.sql'), 'CREATE TABLE items (name text NOT NULL);\n');
    });
    afterAll(async () => {
      for (const prefix of prefixes) await dropDatabase(url!, `${prefix}apidb`);
      await rm(dir, { recursive: true, force: true });
    });

    it('keeps each prefix in a database of its own, created and migrated on first open', async () => {
      const [first, second] = await Promise.all(
        prefixes.map((namePrefix) =>
          openServiceDatabase({ name: 'apidb', url, namePrefix, migrationsDir: dir }),
        ),
      );
      try {
        await first!.query("INSERT INTO items (name) VALUES ('only in the first')");
        expect((await second!.query('SELECT name FROM items')).rows).toEqual([]);
        for (const prefix of prefixes) expect(await databaseExists(`${prefix}apidb`)).toBe(true);
      } finally {
        await Promise.all([first!.close(), second!.close()]);
      }
    });

    it('dropDatabase removes the database and refuses a name that is not a plain identifier', async () => {
      const name = `t_drop_${randomUUID().slice(0, 8)}`;
      const db = await openServiceDatabase({ name, url, migrationsDir: dir });
      await db.close();
      await dropDatabase(url!, name);
      expect(await databaseExists(name)).toBe(false);
      await expect(dropDatabase(url!, 'x; DROP DATABASE test')).rejects.toThrow(/invalid database name/);
    });
  });
