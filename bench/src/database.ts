import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of its own on a PostgreSQL server, for one bench run. */
export interface BenchDatabase {
  /** DATABASE_URL of the new database (the server's URL with another database name). */
  url: string;
  /** `PostgreSQL 15.19` — what the report names. */
  server: string;
  /** Drops the database (closing what still uses it). */
  drop(): Promise<void>;
}

/**
 * Creates `bench_<random>` on the server of `serverUrl` (any database the role may connect to, e.g.
 * `postgres://postgres@127.0.0.1:5432/test`), so a run never reads or leaves rows in another database.
 * @throws with a one-line explanation when the server does not answer or refuses CREATE DATABASE
 */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  let server: string;
  try {
    server = await admin(async (client) => {
      await client.query(`CREATE DATABASE ${name}`);
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return `PostgreSQL ${rows[0]?.server_version.split(' ')[0] ?? '?'}`;
    });
  } catch (error) {
    throw new Error(`PostgreSQL at ${serverUrl}: ${(error as Error).message}`);
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    server,
    drop: () =>
      admin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
