import { BffConfigError } from '../errors';

/** iron-session's own minimum. */
export const MIN_PASSWORD_LENGTH = 32;

/** `{ [id]: password }`; the highest numeric id seals, every id unseals (rotation without sign-outs). */
export type PasswordMap = Record<string, string>;

/** Checks a password map up front, naming the option in the error. */
export function checkPasswordMap(passwords: unknown, option: string): PasswordMap {
  if (typeof passwords !== 'object' || passwords === null || Array.isArray(passwords)) {
    throw new BffConfigError(`${option} must be an object { [id]: password }`);
  }
  const entries = Object.entries(passwords);
  if (entries.length === 0) throw new BffConfigError(`${option} must hold at least one password`);
  for (const [id, password] of entries) {
    if (!/^\d+$/.test(id)) throw new BffConfigError(`${option} ids must be integers, got "${id}"`);
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
      throw new BffConfigError(
        `${option}[${id}] must be a string of at least ${MIN_PASSWORD_LENGTH} characters`,
      );
    }
  }
  return passwords as PasswordMap;
}
