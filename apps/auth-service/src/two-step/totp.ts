import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes of the step before and after the current one are accepted too (clock drift, typing time). */
export const TOTP_WINDOW = 1;
/** The name an authenticator app shows above the account. */
export const TOTP_ISSUER = 'bff-auth';

const totpOf = (secret: string, label = '') =>
  new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });

/** A new random secret (160 bits, RFC 4226's recommendation), base32 as the manual key shows it. */
export const newTotpSecret = () => new Secret({ size: 20 }).base32;

/** The `otpauth://` URI an authenticator app scans. */
export const totpUri = (secret: string, label: string) => totpOf(secret, label).toString();

/** The 30-second step a time falls in. */
export const totpStep = (timestampMs: number) => Math.floor(timestampMs / 1000 / TOTP_PERIOD_SECONDS);

/**
 * The step whose code `code` is, within ±TOTP_WINDOW steps of `timestampMs`, or undefined. The caller
 * must still refuse a step already used (two-step-store does it atomically).
 */
export function matchTotpStep(secret: string, code: string, timestampMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secret).validate({ token: code, timestamp: timestampMs, window: TOTP_WINDOW });
  return delta === null ? undefined : totpStep(timestampMs) + delta;
}
