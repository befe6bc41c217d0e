import { describe, expect, it } from 'vitest';
import { isSafeText, safeText } from './safe-text';

describe('safe text', () => {
  it('accepts ordinary text in any script, emoji included', () => {
    for (const text of ['', 'Ada Lovelace', 'José Núñez', 'محمد', '李小龍', 'Zoë 👩🏽‍💻', "O'Brien-Smith"]) {
      expect(isSafeText(text), text).toBe(true);
    }
  });

  it('refuses NUL, other control characters, lone surrogates and direction overrides', () => {
    for (const text of [
      'a\u0000b',
      'a\nb',
      'tab\there',
      '\u007f',
      '\u0085',
      '\ud800',
      'x\udc00',
      'ab\ud83d',
      '\u202Eevil',
      'a\u2066b',
    ]) {
      expect(isSafeText(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('is a zod schema that answers with the message', () => {
    const result = safeText().safeParse('\ud800');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/broken Unicode/);
    expect(safeText().max(3).safeParse('abcd').success).toBe(false);
  });
});
