import { z } from 'zod';

/** A positive integer given as a string, e.g. a port or a number of seconds. */
export const intFromEnv = (fallback: number) => z.coerce.number().int().positive().default(fallback);
