import { z } from 'zod';

// C0 controls (NUL, tab, newline…), DEL and C1 controls.
const CONTROL = /\p{Cc}/u;
// Bidirectional embeddings, overrides and isolates: they make a name display as something it is not.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
// Without the u flag a regex sees UTF-16 code units, so a surrogate without its partner is visible.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The message of a refused text field, shown beside the field in a 422. */
export const UNSAFE_TEXT_MESSAGE = 'No control characters, direction overrides or broken Unicode';

/**
 * Whether `value` is text a person could have typed and every store can keep as it is: no control
 * characters (NUL included: PostgreSQL refuses it), no lone UTF-16 surrogates (UTF-8 cannot encode them:
 * one store silently swaps them for U+FFFD, PostgreSQL's jsonb refuses them), no bidirectional controls.
 */
export function isSafeText(value: string): boolean {
  return !CONTROL.test(value) && !BIDI_CONTROL.test(value) && !LONE_SURROGATE.test(value);
}

/**
 * A zod string refused unless isSafeText: for every text field, query and filter at the edge of a service,
 * so hostile text gets a 422 with field errors before anything is written or sent on.
 */
export const safeText = (message: string = UNSAFE_TEXT_MESSAGE) =>
  z.string().refine(isSafeText, { message, abort: true });
