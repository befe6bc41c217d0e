/** Reads one cookie from a `Cookie` request header; undefined when absent or malformed. */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return undefined;
}

export type SameSite = 'Lax' | 'Strict';

export interface CookieAttributes {
  sameSite: SameSite;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
}

/**
 * Serializes a `__Host-` cookie: always `HttpOnly; Secure; Path=/`, never a `Domain` (the prefix
 * forbids it, so the browser scopes the cookie to this exact host).
 */
export function serializeCookie(name: string, value: string, { sameSite, maxAge }: CookieAttributes): string {
  return `${name}=${value}; Path=/; HttpOnly; Secure; SameSite=${sameSite}; Max-Age=${Math.max(0, Math.floor(maxAge))}`;
}

/** A Set-Cookie value that deletes the cookie. */
export function clearCookie(name: string, sameSite: SameSite): string {
  return `${name}=; Path=/; HttpOnly; Secure; SameSite=${sameSite}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}

/** Appends Set-Cookie values to a response (a fresh Response when its headers are immutable). */
export function withCookies(response: Response, setCookies: readonly string[]): Response {
  if (setCookies.length === 0) return response;
  try {
    for (const c of setCookies) response.headers.append('Set-Cookie', c);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    for (const c of setCookies) headers.append('Set-Cookie', c);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
