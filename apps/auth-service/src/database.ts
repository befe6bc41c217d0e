import { fileURLToPath } from 'node:url';
import { createDatabase, type Database, dataDirFor, migrate } from '@bff-auth/db';
import type { AuthConfig } from './env';

/** Opens authdb (PostgreSQL at DATABASE_URL, else PGlite under DATA_DIR or .data/) and migrates it. */
export async function openAuthDatabase(
  config: Pick<AuthConfig, 'databaseUrl' | 'dataDir'>,
): Promise<Database> {
  const db = await createDatabase({
    name: 'authdb',
    url: config.databaseUrl,
    dataDir: dataDirFor('authdb', config.dataDir),
  });
  await migrate(db, fileURLToPath(new URL('../migrations', import.meta.url)));
  return db;
}
