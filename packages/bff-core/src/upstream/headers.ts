import { BffConfigError } from '../errors';

/** Request headers passed from the browser to an upstream; everything else is dropped. */
export const DEFAULT_REQUEST_HEADER_ALLOW_LIST: readonly string[] = [
  'accept',
  'accept-language',
  'content-type',
  'if-none-match',
  'if-match',
  'if-modified-since',
  'if-unmodified-since',
];

/** Response headers passed from an upstream to the browser; `Set-Cookie` and hop-by-hop never are. */
export const DEFAULT_RESPONSE_HEADER_ALLOW_LIST: readonly string[] = [
  'content-type',
  'content-language',
  'content-disposition',
  'cache-control',
  'etag',
  'last-modified',
  'expires',
  'vary',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];
/** Names that no allow-list may contain: identity, cookies, hop-by-hop, routing. */
const NEVER =
  /^(cookie|set-cookie|set-cookie2|authorization|host|content-length|x-user-.*|x-forwarded-.*|forwarded|x-real-ip|x-middleware-.*)$/;

/** Validates an allow-list extension; the option name appears in the error. */
export function checkHeaderAllowList(names: readonly string[], option: string): string[] {
  return names.map((raw) => {
    const name = raw.toLowerCase();
    if (NEVER.test(name) || HOP_BY_HOP.includes(name)) {
      throw new BffConfigError(`${option} may not contain "${raw}"`);
    }
    return name;
  });
}

/** Copies the allow-listed headers of the browser's request. */
export function pickRequestHeaders(source: Headers, allow: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of source) if (allow.has(name)) out[name] = value;
  return out;
}

/** Copies the allow-listed headers of an upstream response (undici gives a plain object). */
export function pickResponseHeaders(
  source: Record<string, string | string[] | undefined>,
  allow: ReadonlySet<string>,
): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(source)) {
    const lower = name.toLowerCase();
    if (!allow.has(lower) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(lower, v);
  }
  return out;
}
