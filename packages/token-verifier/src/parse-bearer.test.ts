import { describe, expect, it } from 'vitest';
import { parseBearer } from './parse-bearer';

describe('parseBearer', () => {
  it('reads the token of a Bearer header, scheme in any case', () => {
    expect(parseBearer('Bearer abc.def.ghi')).toEqual({ ok: true, token: 'abc.def.ghi' });
    expect(parseBearer('bearer abc.def-_~+/=')).toEqual({ ok: true, token: 'abc.def-_~+/=' });
  });

  it('says missing when there is no header', () => {
    expect(parseBearer(undefined)).toEqual({ ok: false, problem: 'missing' });
    expect(parseBearer('')).toEqual({ ok: false, problem: 'missing' });
  });

  it('refuses other schemes', () => {
    expect(parseBearer('Basic dXNlcjpwYXNz')).toEqual({ ok: false, problem: 'not_bearer' });
    expect(parseBearer('Bearerabc')).toEqual({ ok: false, problem: 'not_bearer' });
    expect(parseBearer('abc.def.ghi')).toEqual({ ok: false, problem: 'not_bearer' });
  });

  it('refuses anything but exactly one token after one space', () => {
    for (const header of [
      'Bearer',
      'Bearer ',
      'Bearer  a.b.c',
      'Bearer a.b.c d',
      'Bearer a,Bearer b',
      'Bearer a"b',
    ]) {
      expect(parseBearer(header)).toEqual({ ok: false, problem: 'malformed' });
    }
  });

  it('refuses an over-long header before matching it', () => {
    expect(parseBearer(`Bearer ${'a'.repeat(101)}`, 100)).toEqual({ ok: false, problem: 'too_long' });
    expect(parseBearer(`Bearer ${'a'.repeat(100)}`, 100)).toEqual({ ok: true, token: 'a'.repeat(100) });
  });
});
