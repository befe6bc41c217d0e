import type { Context } from 'hono';
import { failure } from './envelope';

/** 405 in the error envelope, with the Allow header, for a known path and an unsupported method. */
export const methodNotAllowed = (allow: string[]) => (c: Context) => {
  c.header('Allow', allow.join(', '));
  return failure(c, 405, 'method_not_allowed', `This resource supports ${allow.join(', ')}`);
};
