import { describe, expect, it } from 'vitest';
import { stepUpLoginHref } from './api-client';

describe('stepUpLoginHref', () => {
  it("builds the BFF's login URL from a step_up_required answer, back to the page", () => {
    const href = stepUpLoginHref({ max_age: ['600'], acr_values: ['urn:a', 'urn:b'] }, '/users/u1?tab=2');
    const url = new URL(href, 'http://app.test');
    expect(url.pathname).toBe('/api/auth/login');
    expect(url.searchParams.get('returnTo')).toBe('/users/u1?tab=2');
    expect(url.searchParams.get('max_age')).toBe('600');
    expect(url.searchParams.get('acr_values')).toBe('urn:a urn:b');
  });

  it('asks for a plain sign-in when the answer has no details', () => {
    expect(stepUpLoginHref(undefined, '/users')).toBe('/api/auth/login?returnTo=%2Fusers');
  });
});
