import { createDatabase, type Database } from './database';
import { migrate } from './migrate';
import { dataDirFor } from './paths';

export interface ServiceDatabaseOptions {
  /** Logical database name (authdb, apidb, admindb). */
  name: string;
  /** DATABASE_URL; without it PGlite keeps the data under `dataDir`. */
  url?: string | undefined;
  /**
   * DATABASE_NAME_PREFIX: put before `name` on the PostgreSQL server, so two systems (a test run beside
   * another) can share one server. Ignored for PGlite, whose folder is already per `dataDir`.
   */
  namePrefix?: string | undefined;
  /** DATA_DIR: root of the PGlite folders; default the repository's `.data`. */
  dataDir?: string | undefined;
  /** The service's folder of `NNN_name.sql` migrations. */
  migrationsDir: string;
}

/** A service's database at start-up: PostgreSQL at `url`, else PGlite under `dataDir/name`, migrated. */
export async function openServiceDatabase({
  name,
  url,
  namePrefix = '',
  dataDir,
  migrationsDir,
}: ServiceDatabaseOptions): Promise<Database> {
  const db = url
    ? await createDatabase({ name: `${namePrefix}${name}`, url })
    : await createDatabase({ name, dataDir: dataDirFor(name, dataDir) });
  await migrate(db, migrationsDir);
  return db;
}
