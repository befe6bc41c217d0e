import { BffError, errorCodes } from '../errors';
import { hasControlCharacter } from '../text';

/** What a path parameter may look like by default: an id, a slug, an email. No `/`, `\`, `%`, `:`. */
export const DEFAULT_PARAM_PATTERN = /^[A-Za-z0-9._~@+-]{1,128}$/;
const ENCODED_DANGER = /%(2f|5c|2e|00|25)/i;
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/** A path parameter failed validation: 400 `invalid_param`, raised before any upstream call. */
export class InvalidParamError extends BffError {
  readonly param: string;
  constructor(param: string, reason: string) {
    super(400, errorCodes.invalidParam, `Invalid path parameter "${param}": ${reason}`);
    this.name = 'InvalidParamError';
    this.param = param;
  }
}

/** An extra per-route check: a regular expression or a predicate over the decoded value. */
export type ParamRule = RegExp | ((value: string) => boolean);

/**
 * Validates one path parameter as the framework handed it over (raw or decoded) and returns the
 * decoded value. Refuses `..`, `/`, `\`, encoded slashes and dots (`%2f`, `%5c`, `%2e`), absolute
 * URLs and control characters in the value and in its decoded form, then applies DEFAULT_PARAM_PATTERN
 * and the route's own rule.
 * @throws InvalidParamError
 */
export function validatePathParam(name: string, value: unknown, rule?: ParamRule): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidParamError(name, 'missing');
  const forms = [value];
  let current = value;
  for (let i = 0; i < 3; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      throw new InvalidParamError(name, 'malformed percent-encoding');
    }
    if (decoded === current) break;
    forms.push(decoded);
    current = decoded;
  }
  for (const form of forms) {
    if (hasControlCharacter(form)) throw new InvalidParamError(name, 'control character');
    if (form.includes('/') || form.includes('\\')) throw new InvalidParamError(name, 'slash');
    if (form.includes('..') || form === '.') throw new InvalidParamError(name, 'dot segment');
    if (ENCODED_DANGER.test(form)) throw new InvalidParamError(name, 'encoded separator');
    if (ABSOLUTE_URL.test(form)) throw new InvalidParamError(name, 'absolute URL');
  }
  const decoded = current;
  if (!DEFAULT_PARAM_PATTERN.test(decoded)) throw new InvalidParamError(name, 'unexpected characters');
  if (rule && !(typeof rule === 'function' ? rule(decoded) : rule.test(decoded))) {
    throw new InvalidParamError(name, 'does not match the route');
  }
  return decoded;
}
