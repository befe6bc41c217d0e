import { isDeepStrictEqual } from 'node:util';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Own properties only: a key such as `toString` must not find Object.prototype's. */
const own = (object: Record<string, unknown>, key: string) =>
  Object.hasOwn(object, key) ? object[key] : undefined;

/**
 * Applies the changes one writer made (from `base`, what it read, to `mine`, what it writes) onto
 * `current` (what is stored now, perhaps changed by another writer meanwhile). Plain objects merge key by
 * key, recursively, so two writers that changed different keys both keep their change; a value the writer
 * changed replaces the stored one; a key the writer removed is removed. What the writer did not change
 * stays as `current` has it.
 */
export function threeWayMerge(base: unknown, current: unknown, mine: unknown): unknown {
  if (isDeepStrictEqual(base, mine)) return current;
  if (!isPlainObject(base) || !isPlainObject(current) || !isPlainObject(mine)) return mine;
  const merged: Record<string, unknown> = { ...current };
  for (const key of new Set([...Object.keys(base), ...Object.keys(mine)])) {
    if (isDeepStrictEqual(own(base, key), own(mine, key))) continue;
    if (own(mine, key) === undefined) delete merged[key];
    else
      Object.defineProperty(merged, key, {
        value: threeWayMerge(own(base, key), own(current, key), own(mine, key)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return merged;
}
