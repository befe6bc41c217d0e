import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database, Queryable } from './database';

const MIGRATION_FILE = /^(\d{3,})_[\w-]+\.sql$/;

/** Advisory lock key (per database) under which migrations run: one migrator at a time. */
const MIGRATION_LOCK = 727_001;

/**
 * Applies the `NNN_name.sql` files of `dir` that have not run yet, in order, each in its own
 * transaction, and records them in `schema_migrations`. Forward-only: a migration never changes
 * once released. Every step holds a transaction-scoped advisory lock and re-reads what is done, so
 * several instances of a service starting at once on an empty database apply each migration exactly
 * once. (Plain SQL files keep the schema readable on both PGlite and PostgreSQL; a query builder's
 * migrator would add a dependency for twenty lines.)
 * @returns the names of the migrations applied by this call.
 */
export async function migrate(db: Database, dir: string): Promise<string[]> {
  const locked = <T>(fn: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      return fn(tx);
    });
  await locked((tx) =>
    tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         name text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    ),
  );
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  const applied: string[] = [];
  for (const file of files) {
    const sql = await readFile(join(dir, file), 'utf8');
    const ran = await locked(async (tx) => {
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file]);
      if (rows.length) return false;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      return true;
    });
    if (ran) applied.push(file);
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
