import { describe, expect, it } from 'vitest';
import { parseAuthorization } from './parse-authorization';

describe('parseAuthorization', () => {
  it('reads the token of a Bearer header, scheme in any case', () => {
    expect(parseAuthorization('Bearer abc.def.ghi')).toEqual({
      ok: true,
      scheme: 'bearer',
      token: 'abc.def.ghi',
    });
    expect(parseAuthorization('bearer abc.def-_~+/=')).toEqual({
      ok: true,
      scheme: 'bearer',
      token: 'abc.def-_~+/=',
    });
  });

  it('reads the token of a DPoP header, scheme in any case', () => {
    expect(parseAuthorization('DPoP abc.def.ghi')).toEqual({
      ok: true,
      scheme: 'dpop',
      token: 'abc.def.ghi',
    });
    expect(parseAuthorization('dpop abc.def.ghi')).toEqual({
      ok: true,
      scheme: 'dpop',
      token: 'abc.def.ghi',
    });
  });

  it('says missing when there is no header', () => {
    expect(parseAuthorization(undefined)).toEqual({ ok: false, problem: 'missing' });
    expect(parseAuthorization('')).toEqual({ ok: false, problem: 'missing' });
  });

  it('refuses other schemes', () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearerabc', 'DPoPabc', 'abc.def.ghi', 'MAC a']) {
      expect(parseAuthorization(header)).toEqual({ ok: false, problem: 'unknown_scheme' });
    }
  });

  it('refuses anything but exactly one token after one space', () => {
    for (const header of [
      'Bearer',
      'Bearer ',
      'Bearer  a.b.c',
      'Bearer a.b.c d',
      'Bearer a,Bearer b',
      'Bearer a"b',
      'DPoP a, DPoP b',
      'DPoP ',
    ]) {
      expect(parseAuthorization(header)).toEqual({ ok: false, problem: 'malformed' });
    }
  });

  it('refuses an over-long header before matching it', () => {
    expect(parseAuthorization(`Bearer ${'a'.repeat(101)}`, 100)).toEqual({ ok: false, problem: 'too_long' });
    expect(parseAuthorization(`Bearer ${'a'.repeat(100)}`, 100)).toEqual({
      ok: true,
      scheme: 'bearer',
      token: 'a'.repeat(100),
    });
  });
});
