import { randomUUID } from 'node:crypto';
import { createDatabase, type Database, type DatabaseOptions, dropDatabase } from './database';

/**
 * Options for a test database: in-memory PGlite by default, or a fresh, uniquely named database on the
 * PostgreSQL server of DATABASE_URL when it is set, so test files never share tables.
 */
export function testDatabaseOptions(
  label: string,
  engine: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite',
): DatabaseOptions {
  const url = engine === 'postgres' ? process.env.DATABASE_URL : undefined;
  if (engine === 'postgres' && !url)
    throw new Error('@bff-auth/db: the postgres test engine needs DATABASE_URL');
  const name = `t_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomUUID().slice(0, 8)}`;
  return url ? { name, url } : { name };
}

/** A test database (see testDatabaseOptions) whose `cleanup` closes it and drops it from the server. */
export async function createTestDatabase(
  label: string,
  engine?: 'pglite' | 'postgres',
): Promise<Database & { cleanup(): Promise<void> }> {
  const options = testDatabaseOptions(label, engine);
  const db = await createDatabase(options);
  return Object.assign(db, {
    async cleanup() {
      await db.close();
      if (options.url) await dropDatabase(options.url, options.name);
    },
  });
}
