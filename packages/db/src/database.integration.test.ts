import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { migrate } from './migrate';
import { createTestDatabase } from './testing';

// PGlite always; PostgreSQL too when DATABASE_URL names a server.
const engines: ('pglite' | 'postgres')[] = [
  'pglite',
  ...(process.env.DATABASE_URL ? (['postgres'] as const) : []),
];

describe.each(engines)('database on %s', (engine) => {
  let db: Database & { cleanup(): Promise<void> };
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('db', engine);
    dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    await writeFile(
      join(dir, '001_items.sql'),
      'CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);\n',
    );
    await writeFile(
      join(dir, '002_seed.sql'),
      "INSERT INTO items (name) VALUES ('a');\nINSERT INTO items (name) VALUES ('b');\n",
    );
  });
  afterAll(async () => {
    await db.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies migrations once, in order', async () => {
    expect(db.kind).toBe(engine);
    expect(await migrate(db, dir)).toEqual(['001_items.sql', '002_seed.sql']);
    expect(await migrate(db, dir)).toEqual([]);
    const { rows } = await db.query<{ name: string }>('SELECT name FROM items ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('applies each migration once when several instances migrate at the same moment', async () => {
    const fresh = await createTestDatabase('db_race', engine);
    try {
      // On PostgreSQL each call runs on its own pooled connection, as two instances of a service would.
      const runs = await Promise.all([migrate(fresh, dir), migrate(fresh, dir), migrate(fresh, dir)]);
      expect(runs.flat().sort()).toEqual(['001_items.sql', '002_seed.sql']);
      const { rows } = await fresh.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
      expect(rows[0]?.n).toBe(2);
    } finally {
      await fresh.cleanup();
    }
  });

  it('rolls back a transaction that throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items (name) VALUES ($1)', ['c']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await db.query('SELECT 1 FROM items WHERE name = $1', ['c']);
    expect(rows).toHaveLength(0);
  });

  it('keeps a migration that fails from being recorded', async () => {
    await writeFile(
      join(dir, '003_bad.sql'),
      'CREATE TABLE broken (id int);\nSELECT * FROM missing_table;\n',
    );
    await expect(migrate(db, dir)).rejects.toThrow();
    const { rows } = await db.query("SELECT 1 FROM schema_migrations WHERE name = '003_bad.sql'");
    expect(rows).toHaveLength(0);
    await rm(join(dir, '003_bad.sql'));
  });

  it('runs a named (prepared) query like any other, in and out of a transaction', async () => {
    const sql = 'SELECT name FROM items WHERE name = $1';
    for (const name of ['a', 'b', 'a']) {
      const { rows } = await db.query<{ name: string }>(sql, [name], { name: 'items_by_name' });
      expect(rows).toEqual([{ name }]);
    }
    // Prepared once, kept by the session (PGlite's single one; the pool's most recently released
    // connection on PostgreSQL, which sequential queries reuse).
    const statements = await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements');
    expect(statements.rows.map((r) => r.name)).toContain('items_by_name');
    const inTransaction = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ name: string }>(sql, ['b'], { name: 'items_by_name' });
      return rows;
    });
    expect(inTransaction).toEqual([{ name: 'b' }]);
  });

  it('types the parameters and results of a named query as an ordinary one does', async () => {
    const sql = 'SELECT id, name, $2::int + 1 AS next, $3::timestamptz AS at FROM items WHERE name = $1';
    const params = ['a', 41, new Date('2026-01-02T03:04:05.000Z')];
    const plain = await db.query(sql, params);
    const named = await db.query(sql, params, { name: 'items_typed' });
    expect(named.rows).toEqual(plain.rows);
    expect(named.rows[0]).toMatchObject({ name: 'a', next: 42 });
    expect((named.rows[0] as { at: Date }).at.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect((await db.query(sql, ['none', null, null], { name: 'items_typed' })).rows).toEqual([]);
  });

  it('fails a named query cleanly and keeps the database usable', async () => {
    const sql = 'SELECT name FROM items WHERE id = $1';
    await expect(db.query(sql, ['not a number'], { name: 'items_by_id' })).rejects.toThrow();
    expect((await db.query(sql, [1], { name: 'items_by_id' })).rows).toEqual([{ name: 'a' }]);
    await expect(db.query('SELECT 1', [], { name: 'items_by_id' })).rejects.toThrow();
    expect((await db.query<{ n: number }>('SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);
  });
});
