import { EnvError } from '@bff-auth/service-kit/env';
import { openAuthDatabase } from '../database';
import { loadEnv } from '../env';
import { createKeyEncryption } from '../keys/key-encryption';
import { createKeyStore } from '../keys/key-store';
import { rotationSchedule } from '../keys/rotation';

/** `npm run rotate-keys -w apps/auth-service`: schedules a new signing key (SPEC §3). */
async function main() {
  const config = loadEnv();
  const db = await openAuthDatabase(config);
  try {
    const keys = createKeyStore({ db, encryption: createKeyEncryption(config.signingKeySecret) });
    await keys.ensureKey();
    const { kid, activatesAt, retiresAt } = await keys.rotate(rotationSchedule(config));
    console.log(`New signing key ${kid} is published now and signs from ${activatesAt.toISOString()}.`);
    console.log(`The previous key stays in JWKS until ${retiresAt.toISOString()}.`);
    console.log(
      'Running auth-service instances pick the change up within KEY_REFRESH_INTERVAL; no restart needed.',
    );
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
