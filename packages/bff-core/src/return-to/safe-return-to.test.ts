import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './safe-return-to';

describe('safeReturnTo', () => {
  it.each([
    '//evil.com',
    '/\\evil.com',
    'https:evil.com',
    '/%2F%2Fevil.com',
    '/%2f%2fevil.com',
    '/%5Cevil.com',
    '/%252F%252Fevil.com',
    'https://evil.com/',
    'javascript:alert(1)',
    '\\\\evil.com',
    '/\t/evil.com',
    ' /path',
    'evil.com',
    '/%E0%A4%A',
  ])('sends the open-redirect payload %j to /', (payload) => {
    expect(safeReturnTo(payload)).toBe('/');
  });

  it.each(['/', '/profile', '/users/42?tab=roles#top', '/search?q=a%20b'])(
    'keeps the same-origin path %j',
    (path) => {
      expect(safeReturnTo(path)).toBe(path);
    },
  );

  it('falls back for missing values', () => {
    expect(safeReturnTo(null)).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo('')).toBe('/');
  });
});
