import type { KeyObject } from 'node:crypto';
import { createHmac, createSign } from 'node:crypto';

/** base64url of a string or bytes, no padding. */
export const b64url = (input: string | Uint8Array) => Buffer.from(input).toString('base64url');

/** header.payload with no signature checks at all: the raw material of hand-forged tokens. */
export function signingInput(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
}

/** `alg: none` (in whatever casing) with an empty signature. */
export function unsignedToken(
  alg: string,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
) {
  return `${signingInput({ ...header, alg }, payload)}.`;
}

/** HS256 keyed with bytes the verifier knows publicly (the RSA public key): the key-confusion attack. */
export function hmacToken(
  secret: string | Uint8Array,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
) {
  const input = signingInput({ ...header, alg: 'HS256' }, payload);
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** ES256 with r = s = 0 (CVE-2022-21449, "psychic signatures"): 64 zero bytes. */
export function psychicSignatureToken(header: Record<string, unknown>, payload: Record<string, unknown>) {
  return `${signingInput({ ...header, alg: 'ES256' }, payload)}.${b64url(new Uint8Array(64))}`;
}

/** RS256 over arbitrary header and payload with node:crypto, bypassing jose's own checks on what it signs. */
export function rawRs256Token(
  key: KeyObject,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
) {
  const input = signingInput({ ...header, alg: 'RS256' }, payload);
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}
