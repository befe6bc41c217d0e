import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { SessionData } from './session-data';

/**
 * Why a codec: three JWTs' worth of base64 (each carrying the user's roles) do not fit a 4096-byte
 * cookie once sealed, and base64 text barely compresses. Decoding each JWT's header and payload back
 * to JSON lets deflate share the repeated claims (roles, sub, sid, iss) between the access and ID
 * tokens, roughly halving the seal. A token that would not round-trip byte for byte is kept verbatim.
 */
const PREFIX = 'z1:';

type PackedJwt = string | [header: string, payload: string, signature: string];

function packJwt(jwt: string | undefined): PackedJwt | undefined {
  if (jwt === undefined) return undefined;
  const parts = jwt.split('.');
  if (parts.length !== 3) return jwt;
  const [h, p, s] = parts as [string, string, string];
  const header = Buffer.from(h, 'base64url').toString('utf8');
  const payload = Buffer.from(p, 'base64url').toString('utf8');
  const packed: PackedJwt = [header, payload, s];
  return unpackJwt(packed) === jwt ? packed : jwt;
}

function unpackJwt(packed: unknown): string | undefined {
  if (typeof packed === 'string') return packed;
  if (!Array.isArray(packed) || packed.length !== 3) return undefined;
  const [header, payload, signature] = packed as unknown[];
  if (typeof header !== 'string' || typeof payload !== 'string' || typeof signature !== 'string')
    return undefined;
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

/** Session data → the compact string that gets sealed. */
export function encodeSession(data: SessionData): string {
  const packed = { ...data, at: packJwt(data.at), idt: packJwt(data.idt) };
  return PREFIX + deflateRawSync(Buffer.from(JSON.stringify(packed), 'utf8')).toString('base64url');
}

/** The inverse of encodeSession; unknown for anything it cannot read (validated by the caller). */
export function decodeSession(value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(PREFIX)) return undefined;
  try {
    const json = inflateRawSync(Buffer.from(value.slice(PREFIX.length), 'base64url'), {
      maxOutputLength: 64 * 1024,
    }).toString('utf8');
    const packed = JSON.parse(json) as Record<string, unknown>;
    const at = unpackJwt(packed.at);
    const idt = packed.idt === undefined ? undefined : unpackJwt(packed.idt);
    return { ...packed, at, ...(idt === undefined ? { idt: undefined } : { idt }) };
  } catch {
    return undefined;
  }
}
