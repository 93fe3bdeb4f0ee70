import { describe, expect, it } from 'vitest';
import { redactHeaders } from '../engine/redaction.js';
import { REDACTED, scrubSecret } from './redact.js';

describe('scrubSecret', () => {
  const key = 'sk-or-v1-abc/def+ghi';
  it('replaces the secret, raw and URL-encoded, with the one marker', () => {
    const text = `said ${key} and ${encodeURIComponent(key)} twice ${key}`;
    const scrubbed = scrubSecret(text, key);
    expect(scrubbed).toBe(`said ${REDACTED} and ${REDACTED} twice ${REDACTED}`);
    expect(REDACTED).toBe('[REDACTED]');
  });

  it('leaves text alone without a secret, or with one too short to be one', () => {
    expect(scrubSecret('abc', undefined)).toBe('abc');
    expect(scrubSecret('abc', 'ab')).toBe('abc');
  });
});

describe('redactHeaders', () => {
  it('redacts credentials in Headers and in Node-style records', () => {
    expect(
      redactHeaders(new Headers({ authorization: 'Bearer k', accept: 'application/json' })),
    ).toEqual({ authorization: REDACTED, accept: 'application/json' });
    expect(
      redactHeaders({
        Cookie: 'a=1',
        'set-cookie': ['a=1', 'b=2'],
        'x-api-key': 'k',
        'content-length': 12,
        'x-trace': ['one', 'two'],
        missing: undefined,
      }),
    ).toEqual({
      Cookie: REDACTED,
      'set-cookie': REDACTED,
      'x-api-key': REDACTED,
      'content-length': '12',
      'x-trace': 'one, two',
    });
  });
});
