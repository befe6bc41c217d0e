import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newPasswordSchema, passwordProblems } from './password-policy';

describe('password policy', () => {
  it('accepts a long passphrase and the demo passwords', () => {
    for (const ok of ['correct horse battery', 'user-password', 'admin-password', 'hunter22', 'pässwörd-ü']) {
      expect(passwordProblems(ok), ok).toEqual([]);
    }
  });

  it('refuses short, repetitive, common and control-character passwords with a clear message', () => {
    expect(passwordProblems('short')).toEqual(['Use at least 8 characters']);
    expect(passwordProblems('aaaaaaaaaaaa')).toEqual(['Use at least 5 different characters']);
    expect(passwordProblems('Password123')).toEqual([
      'This is one of the most used passwords; choose another',
    ]);
    expect(passwordProblems('pass\u0000word-x')).toEqual(['No control characters or broken Unicode']);
    expect(passwordProblems('x'.repeat(1025))).toEqual(['Use at most 1024 characters']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblems('😀😀😀😀')).toEqual(['Use at least 8 characters']);
  });

  it('refuses the account email or its local part', () => {
    expect(passwordProblems('Someone.Else@example.com', { email: 'someone.else@example.com' })).toEqual([
      'Do not use your email address as your password',
    ]);
    expect(passwordProblems('someone.else', { email: 'someone.else@example.com' })).toHaveLength(1);
  });

  it('the schema and the function agree on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        expect(newPasswordSchema.safeParse(value).success).toBe(passwordProblems(value).length === 0);
      }),
    );
  });
});
