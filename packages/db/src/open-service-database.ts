import { createDatabase, type Database } from './database';
import { migrate } from './migrate';
import { dataDirFor } from './paths';

export interface ServiceDatabaseOptions {
  /** Logical database name (authdb, apidb, admindb). */
  name: string;
  /** DATABASE_URL; without it PGlite keeps the data under `dataDir`. */
  url?: string | undefined;
  /** DATA_DIR: root of the PGlite folders; default the repository's `.data`. */
  dataDir?: string | undefined;
  /** The service's folder of `NNN_name.sql` migrations. */
  migrationsDir: string;
}

/** A service's database at start-up: PostgreSQL at `url`, else PGlite under `dataDir/name`, migrated. */
export async function openServiceDatabase({
  name,
  url,
  dataDir,
  migrationsDir,
}: ServiceDatabaseOptions): Promise<Database> {
  const db = await createDatabase({ name, url, dataDir: url ? undefined : dataDirFor(name, dataDir) });
  await migrate(db, migrationsDir);
  return db;
}
