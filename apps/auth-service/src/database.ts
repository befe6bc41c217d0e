import { fileURLToPath } from 'node:url';
import { type Database, openServiceDatabase } from '@bff-auth/db';
import type { AuthConfig } from './env';

/** Opens authdb (PostgreSQL at DATABASE_URL, else PGlite under DATA_DIR or .data/) and migrates it. */
export function openAuthDatabase(
  config: Pick<AuthConfig, 'databaseUrl' | 'databaseNamePrefix' | 'dataDir'>,
): Promise<Database> {
  return openServiceDatabase({
    name: 'authdb',
    url: config.databaseUrl,
    namePrefix: config.databaseNamePrefix,
    dataDir: config.dataDir,
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  });
}
