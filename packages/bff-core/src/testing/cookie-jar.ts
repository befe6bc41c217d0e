import { MAX_COOKIE_BYTES } from '../session/session-cookie';

/**
 * One browser's cookies for one host, as tests need them: applies Set-Cookie values in order (a
 * `Max-Age=0` deletes, a cookie over 4096 bytes is dropped silently as browsers do) and builds the
 * Cookie header of the next request.
 */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  apply(setCookie: readonly string[]): this {
    for (const line of setCookie) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (/Max-Age=0(;|$)/.test(line) || pair.length > MAX_COOKIE_BYTES) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
    return this;
  }

  /** The Cookie header, with `extra` pairs added or replacing. */
  header(extra: Record<string, string> = {}): string {
    const all = new Map([...this.cookies, ...Object.entries(extra)]);
    return [...all].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A GET of `url` carrying the jar's cookies. */
  request(url: string, headers: Record<string, string> = {}, extra: Record<string, string> = {}): Request {
    const cookie = this.header(extra);
    return new Request(url, { headers: { ...headers, ...(cookie ? { cookie } : {}) } });
  }

  /** Names of the cookies whose name starts with `prefix`. */
  names(prefix: string): string[] {
    return [...this.cookies.keys()].filter((n) => n.startsWith(prefix));
  }

  /** Bytes (`name=value`) of the cookies whose name starts with `prefix`. */
  bytes(prefix: string): number {
    return this.names(prefix).reduce((sum, n) => sum + n.length + 1 + this.cookies.get(n)!.length, 0);
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }
}
