import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidIdError } from './errors.js';
import { isGenerationId, parseGenerationId } from './generation-id.js';

describe('generation ids', () => {
  it.each([
    'gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG',
    'gen-1764704027-YmgZuzDAKrAywxh1aHQW',
    'x',
    'gen-ä+=%;:',
    'a'.repeat(256),
  ])('accepts %j', (id) => {
    expect(isGenerationId(id)).toBe(true);
    expect(parseGenerationId(id)).toBe(id);
  });

  it.each([
    ['', /empty/],
    ['a'.repeat(257), /at most 256/],
    [' gen', /whitespace/],
    ['gen\t1', /whitespace/],
    ['gen\u20281', /whitespace/],
    ['gen\u00851', /control/],
    ['gen\u007f', /control/],
    ['a/b', /'\/'/],
    ['a?b', /'\?'/],
    ['a#b', /'#'/],
    ['a&b', /'&'/],
    [null, /string, got null/],
    [undefined, /string, got undefined/],
    [42, /string, got number/],
  ])('rejects %j', (value, reason) => {
    expect(isGenerationId(value)).toBe(false);
    expect(() => parseGenerationId(value)).toThrow(InvalidIdError);
    expect(() => parseGenerationId(value)).toThrow(reason);
  });

  it('echoes at most a short, printable prefix of a bad id', () => {
    const secretish = `sk-or-v1-${'s'.repeat(60)} trailing`;
    try {
      parseGenerationId(secretish);
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('"sk-or-v1-sssssss…"');
      expect(message).not.toContain('s'.repeat(20));
    }
  });

  it('agrees with its definition on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (value) => {
        const expected = value.length > 0 && value.length <= 256 && !/[\s\p{Cc}/?#&]/u.test(value);
        expect(isGenerationId(value)).toBe(expected);
      }),
    );
  });
});
