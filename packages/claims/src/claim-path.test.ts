import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClaimPathError, DEFAULT_ROLES_CLAIM, parseClaimPath, readClaim } from './claim-path';
import { readRoles } from './roles';

const name = fc
  .stringMatching(/^[A-Za-z_][\w-]{0,20}$/)
  .filter((s) => !['__proto__', 'prototype', 'constructor'].includes(s));

/** `{ a: { b: value } }` for segments ['a', 'b']. */
const nest = (segments: string[], value: unknown): unknown =>
  segments.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);

describe('parseClaimPath and readClaim', () => {
  it('reads the three shapes providers use: top-level, nested (Keycloak) and a URL-named claim (Auth0)', () => {
    const token = {
      roles: ['a'],
      realm_access: { roles: ['admin', 'user'] },
      'https://example.com/roles': ['editor'],
      https: { 'example.com/roles': ['wrong'] },
    };
    expect(readRoles(token, parseClaimPath(DEFAULT_ROLES_CLAIM))).toEqual(['a']);
    expect(readRoles(token, parseClaimPath('realm_access.roles'))).toEqual(['admin', 'user']);
    expect(readRoles(token, parseClaimPath('https://example.com/roles'))).toEqual(['editor']);
  });

  it('reads the value at any dotted path of plain names, and nothing one level off', () => {
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 5 }), fc.jsonValue(), (segments, value) => {
        const path = parseClaimPath(segments.join('.'));
        expect(path.segments).toEqual(segments);
        expect(readClaim(nest(segments, value), path)).toEqual(value);
        expect(readClaim(nest(segments.slice(1), value), path)).toBeUndefined();
      }),
    );
  });

  it('never splits a URL-named claim on its dots or slashes', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: false, withFragments: false }), (url) => {
        fc.pre(url.length <= 256 && !/\s/.test(url));
        expect(parseClaimPath(url).segments).toEqual([url]);
      }),
    );
  });

  it('gives undefined, never an inherited property, when the path is missing or crosses a non-object', () => {
    const path = parseClaimPath('realm_access.roles');
    expect(readClaim({}, path)).toBeUndefined();
    expect(readClaim({ realm_access: 'admin' }, path)).toBeUndefined();
    expect(readClaim({ realm_access: ['roles'] }, path)).toBeUndefined();
    expect(readClaim(null, path)).toBeUndefined();
    expect(readClaim(Object.create({ realm_access: { roles: ['admin'] } }), path)).toBeUndefined();
    expect(readClaim({ realm_access: Object.create({ roles: ['admin'] }) }, path)).toBeUndefined();
  });

  it('keeps only the string entries of a roles array and ignores a roles claim that is not an array', () => {
    const path = parseClaimPath('roles');
    expect(readRoles({ roles: ['admin', 7, null, { x: 1 }, 'user'] }, path)).toEqual(['admin', 'user']);
    expect(readRoles({ roles: 'admin' }, path)).toBeUndefined();
    expect(readRoles({ roles: { admin: true } }, path)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['a..b', 'empty name'],
    ['.roles', 'empty name'],
    ['roles.', 'empty name'],
    ['a b', 'white space'],
    ['roles\u0000', 'control'],
    ['a.b.c.d.e.f', 'more than 5 levels'],
    ['__proto__.roles', '"__proto__" is not a claim name'],
    ['realm_access.constructor', '"constructor" is not a claim name'],
    ['https://', 'not one'],
    ['x'.repeat(257), 'longer than 256'],
  ])('refuses %j, saying why', (path, problem) => {
    expect(() => parseClaimPath(path)).toThrow(ClaimPathError);
    expect(() => parseClaimPath(path)).toThrow(problem);
  });
});
