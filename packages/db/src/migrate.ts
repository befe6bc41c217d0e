import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database';

const MIGRATION_FILE = /^(\d{3,})_[\w-]+\.sql$/;

/**
 * Applies the `NNN_name.sql` files of `dir` that have not run yet, in order, each in its own
 * transaction, and records them in `schema_migrations`. Forward-only: a migration never changes
 * once released. (Plain SQL files keep the schema readable on both PGlite and PostgreSQL; a query
 * builder's migrator would add a dependency for twenty lines.)
 * @returns the names of the migrations applied by this call.
 */
export async function migrate(db: Database, dir: string): Promise<string[]> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       name text PRIMARY KEY,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations');
  const done = new Set(rows.map((r) => r.name));
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = await readFile(join(dir, file), 'utf8');
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING', [file]);
    });
    applied.push(file);
  }
  return applied;
}

/** Splits on semicolons at line ends; our migrations keep one statement per `;\n`. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !/^(--[^\n]*\n?)+$/.test(s));
}
