import { describe, expect, it } from 'vitest';
import { exitCodeForBatch, exitCodeForError, stopsBatch } from './exit-code-of.js';
import { exitCodeLines, exitCodes } from './exit-codes.js';

describe('exit codes', () => {
  it('maps each error kind', () => {
    expect(exitCodeForError('unauthorized')).toBe(3);
    expect(exitCodeForError('insufficient_credits')).toBe(3);
    expect(exitCodeForError('forbidden')).toBe(3);
    expect(exitCodeForError('not_found')).toBe(4);
    expect(exitCodeForError('rate_limited')).toBe(5);
    for (const code of ['server_error', 'timeout', 'network', 'invalid_response']) {
      expect(exitCodeForError(code)).toBe(6);
    }
    expect(exitCodeForError('something_new')).toBe(1);
  });

  it('decides a batch: ok, partial, or the most serious kind when all failed', () => {
    expect(exitCodeForBatch(3, [])).toBe(0);
    expect(exitCodeForBatch(2, ['not_found'])).toBe(7);
    expect(exitCodeForBatch(0, ['not_found', 'not_found'])).toBe(4);
    expect(exitCodeForBatch(0, ['not_found', 'rate_limited'])).toBe(5);
    expect(exitCodeForBatch(0, ['rate_limited', 'network'])).toBe(6);
    expect(exitCodeForBatch(0, ['network', 'unauthorized'])).toBe(3);
  });

  it('stops a batch on a refused key or an empty account, not on a 403', () => {
    expect(stopsBatch('unauthorized')).toBe(true);
    expect(stopsBatch('insufficient_credits')).toBe(true);
    expect(stopsBatch('forbidden')).toBe(false);
    expect(stopsBatch('not_found')).toBe(false);
    expect(stopsBatch('server_error')).toBe(false);
  });

  it('documents every code on one line', () => {
    const documented = exitCodeLines.map((line) => Number(line.split(' ')[0]));
    expect(documented).toEqual(Object.values(exitCodes).sort((a, b) => a - b));
  });
});
