import { describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  InvalidIdError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
} from '../errors.js';
import { errorFromStatus } from '../internal/http-errors.js';
import { classifyError, errorCategories, errorTable } from './classify.js';

describe('errorTable', () => {
  it('has, for every code, its class, category and default retryability, agreeing with the classes', () => {
    for (const [code, entry] of Object.entries(errorTable)) {
      const error = new entry.errorClass('boom');
      expect(error.code).toBe(code);
      expect(error.name).toBe(entry.name);
      expect(error.isRetryable).toBe(entry.isRetryable);
      expect(errorCategories).toContain(entry.category);
      for (const status of entry.statuses)
        expect(errorFromStatus(status, undefined).code).toBe(code);
    }
  });

  it('maps a status in no row to a non-retryable server_error', () => {
    expect(errorFromStatus(418, 'teapot')).toMatchObject({
      code: 'server_error',
      isRetryable: false,
    });
    expect(errorFromStatus(503, undefined)).toMatchObject({
      code: 'server_error',
      isRetryable: true,
    });
  });
});

describe('classifyError', () => {
  it.each([
    [new InvalidIdError('x'), 'invalid_id', 'input', false],
    [new ForbiddenError('x', { status: 403 }), 'forbidden', 'auth', false],
    [new NotFoundError('x', { status: 404 }), 'not_found', 'not_found', true],
    [new RateLimitedError('x', { status: 429 }), 'rate_limited', 'transient', true],
    [new ServerError('x', { status: 501, isRetryable: false }), 'server_error', 'transient', false],
    [new TimeoutError('x'), 'timeout', 'transient', true],
    [new NetworkError('x'), 'network', 'transient', true],
    [new InvalidResponseError('x', { isRetryable: false }), 'invalid_response', 'response', false],
  ] as const)('classifies %o', (error, code, category, isRetryable) => {
    const classified = classifyError(error);
    expect(classified).toMatchObject({ code, category, isRetryable });
    expect(classified.status).toBe(error.status);
  });

  it('classifies a thrown value that is no GenmetaError', () => {
    expect(classifyError({ status: 401 })).toEqual({
      code: 'unauthorized',
      category: 'auth',
      isRetryable: false,
      status: 401,
    });
    expect(classifyError({ response: { status: 503 } })).toMatchObject({
      code: 'server_error',
      status: 503,
    });
    expect(classifyError(new DOMException('slow', 'TimeoutError'))).toMatchObject({
      code: 'timeout',
      category: 'transient',
    });
    expect(classifyError(new TypeError('fetch failed'))).toEqual({
      code: 'network',
      category: 'transient',
      isRetryable: true,
    });
    expect(classifyError(undefined)).toMatchObject({ code: 'network' });
  });
});
