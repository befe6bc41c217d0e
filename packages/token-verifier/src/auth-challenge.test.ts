import { describe, expect, it } from 'vitest';
import { authChallenge } from './auth-challenge';

const ALGS = 'algs="ES256 ES384 EdDSA Ed25519 PS256 RS256"';

describe('authChallenge', () => {
  it('is the bare scheme name for a Bearer challenge without params (RFC 6750 §3)', () => {
    expect(authChallenge('bearer')).toBe('Bearer');
  });

  it('names the accepted proof algorithms in every DPoP challenge (RFC 9449 §7.1)', () => {
    expect(authChallenge('dpop')).toBe(`DPoP ${ALGS}`);
    expect(authChallenge('dpop', { error: 'invalid_dpop_proof' })).toBe(
      `DPoP error="invalid_dpop_proof", ${ALGS}`,
    );
  });

  it('writes a step-up challenge (RFC 9470 §3) in the scheme asked for, params in a fixed order', () => {
    const params = {
      max_age: 600,
      acr_values: 'urn:a urn:b',
      error_description: 'Sign in again',
      error: 'insufficient_user_authentication',
    };
    const attributes =
      'error="insufficient_user_authentication", error_description="Sign in again", acr_values="urn:a urn:b", max_age="600"';
    expect(authChallenge('bearer', params)).toBe(`Bearer ${attributes}`);
    expect(authChallenge('dpop', params)).toBe(`DPoP ${attributes}, ${ALGS}`);
  });

  it('leaves out params that are undefined and escapes quotes and backslashes', () => {
    expect(authChallenge('bearer', { error: 'invalid_token', error_description: undefined })).toBe(
      'Bearer error="invalid_token"',
    );
    expect(authChallenge('bearer', { error_description: 'say "hi" \\o/' })).toBe(
      'Bearer error_description="say \\"hi\\" \\\\o/"',
    );
  });
});
