import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({})); // the marker module throws outside a React server bundle
const { mergeCookies } = await import('./page-guard');

describe('mergeCookies', () => {
  it('replaces a refreshed cookie, keeps the others and drops a cleared one', () => {
    const merged = mergeCookies('a=1; __Host-user-session=old; b=2', [
      '__Host-user-session=new; Path=/; HttpOnly; Secure; SameSite=Lax',
      'b=; Path=/; Max-Age=0',
    ]);
    expect(merged).toBe('a=1; __Host-user-session=new');
  });

  it('adds a cookie the request did not have', () => {
    expect(mergeCookies(null, ['s=v; Path=/'])).toBe('s=v');
  });
});
