import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { devDefault, EnvError, flagFromEnv, intFromEnv, listFromEnv, parseEnv } from './index';

const schema = z.object({ PORT: intFromEnv(8000), SECRET: devDefault('dev-secret') });

describe('parseEnv', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('applies defaults and coerces numbers', () => {
    expect(parseEnv(schema, { PORT: '9000' })).toEqual({ PORT: 9000, SECRET: 'dev-secret' });
  });

  it('names every bad variable in one error', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const error = (() => {
      try {
        parseEnv(schema, { PORT: 'eighty' });
      } catch (e) {
        return e as EnvError;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    expect(error?.code).toBe('INVALID_ENV');
    expect(error?.message).toMatch(/PORT: /);
    expect(error?.message).toMatch(/SECRET: required when NODE_ENV=production/);
  });

  it('refuses the development default of a secret in production but takes an explicit value', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => parseEnv(schema, {})).toThrow(EnvError);
    expect(parseEnv(schema, { SECRET: 'real' }).SECRET).toBe('real');
  });
});

describe('flagFromEnv and listFromEnv', () => {
  const settings = z.object({ ON: flagFromEnv(true), TYPES: listFromEnv(['at+jwt']) });

  it('default when unset, parse true/false/1/0 and comma lists (trimmed, de-duplicated)', () => {
    expect(parseEnv(settings, {})).toEqual({ ON: true, TYPES: ['at+jwt'] });
    expect(parseEnv(settings, { ON: '0', TYPES: ' at+jwt , JWT,,JWT' })).toEqual({
      ON: false,
      TYPES: ['at+jwt', 'JWT'],
    });
  });

  it('refuses a flag that is not true/false and a list with nothing in it, naming the variable', () => {
    expect(() => parseEnv(settings, { ON: 'yes' })).toThrow(/ON: must be true or false/);
    expect(() => parseEnv(settings, { TYPES: ' , ' })).toThrow(/TYPES: must name at least one value/);
  });
});
