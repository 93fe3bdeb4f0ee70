import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import {
  ForbiddenError,
  GenmetaError,
  InsufficientCreditsError,
  InvalidIdError,
  InvalidResponseError,
  isGenmetaError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
} from './errors.js';

const classes = [
  [InvalidIdError, 'invalid_id', false],
  [UnauthorizedError, 'unauthorized', false],
  [InsufficientCreditsError, 'insufficient_credits', false],
  [ForbiddenError, 'forbidden', false],
  [NotFoundError, 'not_found', true],
  [RateLimitedError, 'rate_limited', true],
  [ServerError, 'server_error', true],
  [TimeoutError, 'timeout', true],
  [NetworkError, 'network', true],
  [InvalidResponseError, 'invalid_response', false],
] as const;

describe('errors', () => {
  it.each(classes)(
    '%o has its code, name and default retryability',
    (ErrorClass, code, retryable) => {
      const error = new ErrorClass('boom', { generationId: 'gen-1' });
      expect(error).toBeInstanceOf(GenmetaError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(ErrorClass.name);
      expect(error.isRetryable).toBe(retryable);
      expect(String(error)).toBe(`${ErrorClass.name}: boom`);
      expect(error.stack).toContain(`${ErrorClass.name}: boom`);
      expect(isGenmetaError(error)).toBe(true);
    },
  );

  it('serializes the public fields only', () => {
    const cause = new Error('socket hang up');
    const error = new RateLimitedError('slow down', {
      status: 429,
      retryAfterMs: 1000,
      generationId: 'gen-1',
      cause,
    });
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RateLimitedError',
      code: 'rate_limited',
      message: 'slow down',
      status: 429,
      isRetryable: true,
      retryAfterMs: 1000,
      generationId: 'gen-1',
    });
    expect(new NetworkError('x').toJSON()).toEqual({
      name: 'NetworkError',
      code: 'network',
      message: 'x',
      isRetryable: true,
    });
    expect(inspect(error)).toContain("code: 'rate_limited'");
  });

  it('isGenmetaError recognises errors from another copy of the package', async () => {
    vi.resetModules();
    const other = await import('./errors.js');
    const foreign = new other.NotFoundError('elsewhere');
    expect(other.NotFoundError).not.toBe(NotFoundError);
    expect(foreign).not.toBeInstanceOf(GenmetaError);
    expect(isGenmetaError(foreign)).toBe(true);
    expect(other.isGenmetaError(new ServerError('here'))).toBe(true);
  });

  it('isGenmetaError rejects look-alikes', () => {
    expect(isGenmetaError(new Error('x'))).toBe(false);
    expect(isGenmetaError({ code: 'network', name: 'NetworkError' })).toBe(false);
    expect(isGenmetaError(null)).toBe(false);
    expect(isGenmetaError('NetworkError')).toBe(false);
  });
});
