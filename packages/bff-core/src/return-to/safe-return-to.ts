import { hasControlCharacter } from '../text';

/** Where a sign-in lands when `returnTo` is absent or unsafe. */
export const DEFAULT_RETURN_TO = '/';
const MAX_RETURN_TO_LENGTH = 2048;
// Control characters (browsers silently drop tabs and newlines from URLs) make browsers and URL
// parsers disagree about what a string means.

function isSafeForm(value: string): boolean {
  if (!value.startsWith('/')) return false;
  const second = value[1];
  if (second === '/' || second === '\\') return false;
  if (value.includes('\\')) return false;
  return !hasControlCharacter(value);
}

/**
 * Returns `value` when it is a same-origin path: one leading `/`, not `//` or `/\`, no backslash or
 * control character, and still so after percent-decoding (repeatedly, so `/%252F%252Fevil.com`
 * fails too). Anything else (`//evil.com`, `/\evil.com`, `https:evil.com`, `/%2F%2Fevil.com`)
 * gives DEFAULT_RETURN_TO.
 */
export function safeReturnTo(value: string | null | undefined, fallback: string = DEFAULT_RETURN_TO): string {
  if (!value || value.length > MAX_RETURN_TO_LENGTH) return fallback;
  let current = value;
  for (let i = 0; i < 4; i++) {
    if (!isSafeForm(current)) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return fallback;
    }
    if (decoded === current) break;
    current = decoded;
  }
  if (!isSafeForm(current)) return fallback;
  // Last line of defence: resolved against a placeholder origin, it must stay on that origin.
  const base = 'http://return-to.invalid';
  try {
    const resolved = new URL(value, base);
    if (resolved.origin !== base) return fallback;
  } catch {
    return fallback;
  }
  return value;
}
