import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createPgliteStatements } from './pglite-statements';

export interface QueryResult<R> {
  rows: R[];
}

/** How one query runs. */
export interface QueryOptions {
  /**
   * A prepared statement name for a hot query whose SQL never changes (one name, one SQL text, a
   * lowercase SQL identifier): it is parsed and described once — per pooled connection on PostgreSQL,
   * once per database on PGlite (pglite-statements.ts) — and then only bound and executed. Inside a
   * transaction PGlite runs it as an ordinary query.
   */
  name?: string;
}

/** The part of a database both engines share: parameterised SQL ($1, $2…) and transactions. */
export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in a transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Logical database name (authdb, apidb, admindb). */
  name: string;
  /**
   * postgres:// URL of a server. The database `name` is created on it when missing, so one server
   * holds one database per service. Without a URL the embedded PGlite is used.
   */
  url?: string | undefined;
  /** PGlite data folder; without one PGlite keeps the data in memory (tests). */
  dataDir?: string | undefined;
}

/** Opens the service's database: PGlite by default, PostgreSQL when a URL is given. */
export async function createDatabase({ name, url, dataDir }: DatabaseOptions): Promise<Database> {
  if (url) return openPostgres(url, name);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = new PGlite(dataDir);
  await lite.waitReady;
  const named = createPgliteStatements(lite);
  return {
    kind: 'pglite',
    query: (sql, params, options) =>
      (options?.name ? named(options.name, sql, params) : lite.query(sql, params)) as never,
    transaction: (fn) =>
      lite.transaction((tx) => fn({ query: (sql, params) => tx.query(sql, params) as never })),
    close: () => lite.close(),
  };
}

async function openPostgres(url: string, name: string): Promise<Database> {
  await ensureDatabase(url, name);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: target.toString(), max: 10 });
  pool.on('error', () => {}); // an idle client's error surfaces on the next query instead
  return {
    kind: 'postgres',
    query: (sql, params, options) =>
      (options?.name
        ? pool.query({ name: options.name, text: sql, values: params as unknown[] })
        : pool.query(sql, params as unknown[])) as never,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (sql, params, options) =>
            (options?.name
              ? client.query({ name: options.name, text: sql, values: params as unknown[] })
              : client.query(sql, params as unknown[])) as never,
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function ensureDatabase(url: string, name: string) {
  if (!SAFE_NAME.test(name)) throw new Error(`@bff-auth/db: invalid database name "${name}"`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      // CREATE DATABASE takes no parameters; the name was checked against SAFE_NAME above.
      await admin.query(`CREATE DATABASE ${name}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04' && error.code !== '23505') throw error; // created concurrently
      });
    }
  } finally {
    await admin.end();
  }
}

/** Drops database `name` on the server of `url` (closing its connections first); nothing if it is absent. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  if (!SAFE_NAME.test(name)) throw new Error(`@bff-auth/db: invalid database name "${name}"`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // DROP DATABASE takes no parameters; the name was checked against SAFE_NAME above.
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
