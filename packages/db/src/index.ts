export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  dropDatabase,
  type Queryable,
  type QueryOptions,
  type QueryResult,
} from './database';
export { migrate } from './migrate';
export { openServiceDatabase, type ServiceDatabaseOptions } from './open-service-database';
export { dataDirFor, repoDataDir } from './paths';
export { createTestDatabase, testDatabaseOptions } from './testing';
