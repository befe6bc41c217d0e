import { createHash } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * Private signing keys are stored encrypted as compact JWE (`dir` + A256GCM); the 256-bit key is
 * derived from SIGNING_KEY_SECRET, so a copy of the database alone cannot sign tokens. Other secrets
 * at rest (TOTP secrets) use the same scheme under their own `purpose`, so each has its own key.
 */
export function createKeyEncryption(secret: string, purpose = 'signing-key encryption') {
  const key = createHash('sha256').update(`bff-auth ${purpose}\0${secret}`).digest();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    encrypt: (plaintext: string) =>
      new CompactEncrypt(encoder.encode(plaintext))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .encrypt(key),
    async decrypt(jwe: string): Promise<string> {
      const { plaintext } = await compactDecrypt(jwe, key);
      return decoder.decode(plaintext);
    },
  };
}
export type KeyEncryption = ReturnType<typeof createKeyEncryption>;
