import fc from 'fast-check';

/**
 * Pieces of text that have broken services before: NUL and other C0/C1 controls, DEL, lone UTF-16
 * surrogates (high and low), direction overrides and isolates, quotes, escapes, SQL and path syntax,
 * combining marks, emoji with joiners, and plain letters of several scripts.
 */
export const HOSTILE_FRAGMENTS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u001b[2J',
  '\n',
  '\r\n',
  '\t',
  '\u007f',
  '\u0085',
  '\u009b',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200b',
  '\ufeff',
  '\uffff',
  "'",
  '"',
  '\\',
  '%',
  '_',
  '%00',
  '../',
  '<script>',
  "'; DROP TABLE users; --",
  'e\u0301',
  '👩🏽‍💻',
  'Zoë',
  'محمد',
  '李',
  ' ',
  'a',
] as const;

/** One hundred kilobytes, the size SPEC §8 names. */
export const HUNDRED_KB = 100 * 1024;

/**
 * Arbitrary text mixing the fragments above with arbitrary code units and code points, plus the odd
 * 100 KB string (plain, or ending in NUL or a lone surrogate). For fast-check properties with bounded runs.
 */
export function hostileText(): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.array(fc.constantFrom(...HOSTILE_FRAGMENTS), { maxLength: 12 }).map((p) => p.join('')),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    // Any UTF-16 code unit, so lone surrogates come up on their own too.
    {
      weight: 2,
      arbitrary: fc
        .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 })
        .map((units) => String.fromCharCode(...units)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'x'.repeat(HUNDRED_KB),
        `${'y'.repeat(HUNDRED_KB)}\u0000`,
        `${'z'.repeat(HUNDRED_KB)}\ud800`,
      ),
    },
  );
}

/**
 * Any HTTP method a Fetch `Request` can carry, the standard ones and made-up ones. (TRACE and CONNECT are
 * left out: `new Request` refuses them, so `app.request` cannot send them; Node's server answers them
 * before any route runs.)
 */
export function anyMethod(): fc.Arbitrary<string> {
  return fc.constantFrom(
    'GET',
    'HEAD',
    'POST',
    'PUT',
    'PATCH',
    'DELETE',
    'OPTIONS',
    'PROPFIND',
    'PURGE',
    'BREW',
  );
}

/**
 * A header value a client can actually send (a ByteString without NUL, CR or LF), built from hostile text:
 * characters beyond Latin-1 and the forbidden ones become `?`.
 */
export function hostileHeaderValue(): fc.Arbitrary<string> {
  return hostileText().map((text) =>
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters removed
    text.slice(0, 4096).replace(/[^\u0009\u0020-\u007e\u0080-\u00ff]/g, '?'),
  );
}

/**
 * A query-string value (already encoded) from hostile text: percent-encoded UTF-8 of the text (a lone
 * surrogate becomes U+FFFD, as in any URL), or raw percent-escapes of arbitrary bytes — invalid UTF-8
 * (`%FF`, `%ED%A0%80`), `%00` and the like, which a URL can carry and a decoder must survive.
 */
export function hostileQueryValue(): fc.Arbitrary<string> {
  return fc.oneof(
    hostileText().map((text) => new URLSearchParams({ v: text }).toString().slice(2)),
    fc
      .array(fc.integer({ min: 0, max: 255 }), { maxLength: 24 })
      .map((bytes) => bytes.map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('')),
  );
}

/** fast-check settings for the API fuzz tests: bounded, and reproducible from the printed seed. */
export const FUZZ_RUNS = { numRuns: 60 } as const;
