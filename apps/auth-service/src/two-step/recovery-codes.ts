import { createHash, randomInt } from 'node:crypto';

/** How many recovery codes an enrolment gives; each works once. */
export const RECOVERY_CODE_COUNT = 10;
// 16 characters of a 31-letter alphabet without look-alikes (no 0/o, 1/l/i): about 79 random bits, so a
// plain SHA-256 of the code is a safe way to store it.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/** A fresh code, as shown once to the user: `abcd-efgh-jkmn-pqrs`. */
export function newRecoveryCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** Typed codes are compared without case, spaces or dashes. */
export const normaliseRecoveryCode = (typed: string) => typed.toLowerCase().replace(/[\s-]/g, '');

/** What is stored of a code: the SHA-256 of its normal form, hex. */
export const hashRecoveryCode = (code: string) =>
  createHash('sha256')
    .update(`bff-auth recovery code\0${normaliseRecoveryCode(code)}`)
    .digest('hex');

/** Whether `typed` could be a recovery code at all (anything else is not looked up). */
export const looksLikeRecoveryCode = (typed: string) =>
  /^[a-z0-9]{16}$/.test(normaliseRecoveryCode(typed.slice(0, 64)));
