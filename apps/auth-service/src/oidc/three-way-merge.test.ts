import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { threeWayMerge } from './three-way-merge';

describe('threeWayMerge', () => {
  it('keeps another writer’s change to a key this writer only read (the lost-update case)', () => {
    const base = { accountId: 'a', authorizations: { web: { sid: 's1' } } };
    const current = { ...base, state: { secret: 'x', clientId: 'web' } };
    expect(threeWayMerge(base, current, structuredClone(base))).toEqual(current);
  });

  it('merges nested changes of two writers to different keys', () => {
    const base = { authorizations: { web: { sid: 's1' } } };
    const current = { authorizations: { web: { sid: 's1' }, admin: { sid: 's2' } } };
    const mine = { authorizations: { web: { sid: 's1', grantId: 'g1' } } };
    expect(threeWayMerge(base, current, mine)).toEqual({
      authorizations: { web: { sid: 's1', grantId: 'g1' }, admin: { sid: 's2' } },
    });
  });

  it('applies this writer’s removals and replacements', () => {
    const base = { state: { secret: 'x' }, exp: 1, amr: ['pwd'] };
    const current = { state: { secret: 'x' }, exp: 2, amr: ['pwd'] };
    const mine = { exp: 3, amr: ['pwd', 'otp'] };
    expect(threeWayMerge(base, current, mine)).toEqual({ exp: 3, amr: ['pwd', 'otp'] });
  });

  it('reads own keys only: a key named like an Object.prototype member is plain data', () => {
    expect(threeWayMerge({ a: { toString: 0 } }, { a: { toString: 0 } }, { a: {} })).toEqual({ a: {} });
    // JSON.parse makes `__proto__` an own key, as a stored payload would.
    const merged = threeWayMerge({}, { constructor: 1 }, JSON.parse('{"__proto__":2}')) as object;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.entries(merged)).toEqual([
      ['constructor', 1],
      ['__proto__', 2],
    ]);
  });

  it('is the writer’s value when nobody else wrote, and the current value when the writer changed nothing', () => {
    const value = fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });
    fc.assert(
      fc.property(value, value, (base, mine) => {
        expect(threeWayMerge(base, base, mine)).toEqual(mine);
        expect(threeWayMerge(base, mine, base)).toEqual(mine);
      }),
      { numRuns: 300 },
    );
  });
});
