import { EnvError } from '../env/parse-env';

/**
 * Runs a service's `main` with its validated environment. If `loadEnv` or `main` throws, prints the
 * error to stderr (an EnvError as its message alone: the list of bad variables) and exits with 1.
 */
export async function runService<E>(loadEnv: () => E, main: (env: E) => Promise<void>): Promise<void> {
  try {
    await main(loadEnv());
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : error);
    process.exit(1);
  }
}
