import { z } from 'zod';
import { isSafeText } from '../http/safe-text';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_DISTINCT_CHARACTERS, PASSWORD_MIN_LENGTH } from './password-rule';

/**
 * The most used passwords that pass the length rule (from public breach corpora). Not a breach check —
 * just the guesses every attacker tries first, refused with a clear message.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '87654321',
  'password',
  'password1',
  'password12',
  'password123',
  'passw0rd',
  'qwertyuiop',
  'qwerty123',
  'qwerty1234',
  '1q2w3e4r',
  '1qaz2wsx',
  'iloveyou',
  'sunshine',
  'football',
  'baseball',
  'princess',
  'welcome1',
  'welcome123',
  'letmein1',
  'admin123',
  'administrator',
  'abcd1234',
  'abc12345',
  'trustno1',
  'superman',
  'starwars',
  'changeme',
]);

/** Bidirectional controls are text formatting, not hidden characters: a password may contain them. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** What the password is checked against besides itself: the account's own email, when known. */
export interface PasswordContext {
  email?: string | undefined;
}

/**
 * The one strength rule of every place that sets a password (sign-up by an admin, a change by the user,
 * a reset): the messages of the rules it breaks, empty when it passes. Messages are written for the
 * person choosing the password.
 */
export function passwordProblems(password: string, context: PasswordContext = {}): string[] {
  const characters = [...password];
  if (characters.length < PASSWORD_MIN_LENGTH) return [`Use at least ${PASSWORD_MIN_LENGTH} characters`];
  if (characters.length > PASSWORD_MAX_LENGTH) return [`Use at most ${PASSWORD_MAX_LENGTH} characters`];
  if (!isSafeText(password.replace(BIDI_CONTROLS, ''))) return ['No control characters or broken Unicode'];
  const problems: string[] = [];
  const folded = password.normalize('NFKC').toLowerCase();
  if (new Set(characters).size < PASSWORD_MIN_DISTINCT_CHARACTERS) {
    problems.push(`Use at least ${PASSWORD_MIN_DISTINCT_CHARACTERS} different characters`);
  } else if (COMMON_PASSWORDS.has(folded)) {
    problems.push('This is one of the most used passwords; choose another');
  }
  const email = context.email?.normalize('NFKC').toLowerCase();
  if (email && (folded === email || folded === email.split('@')[0])) {
    problems.push('Do not use your email address as your password');
  }
  return problems;
}

/** zod schema of a new password under the rule above (the email check needs the account: call passwordProblems). */
export const newPasswordSchema = z.string({ error: 'Enter a password' }).superRefine((value, ctx) => {
  for (const message of passwordProblems(value)) ctx.addIssue({ code: 'custom', message });
});

/**
 * A password someone types to prove who they are (not a new one): any string the rule could ever have
 * accepted, so an old password set under an earlier rule still verifies.
 */
export const currentPasswordSchema = z
  .string({ error: 'Enter your current password' })
  .min(1, 'Enter your current password')
  .max(PASSWORD_MAX_LENGTH, `At most ${PASSWORD_MAX_LENGTH} characters`);
