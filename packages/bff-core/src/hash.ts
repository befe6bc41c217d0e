import { createHash } from 'node:crypto';

/** SHA-256, base64url: how secrets (seals, refresh tokens, jtis) appear in cache keys and Redis keys. */
export function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
