import { z } from 'zod';

/** A yes/no setting: `true`/`1` or `false`/`0` (anything else is refused, naming the variable). */
export const flagFromEnv = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
