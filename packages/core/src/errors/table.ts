/** Every failure of a lookup, by kind. One {@link GenmetaError} subclass per code. */
export type GenmetaErrorCode =
  | 'invalid_id'
  | 'unauthorized'
  | 'insufficient_credits'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'invalid_response';

/**
 * What kind of failure a code is, for adapters choosing an answer, an exit code or a hint:
 * `input` (the id or arguments), `auth` (the key or the account), `not_found`,
 * `transient` (may succeed later), `response` (the server answered something unreadable).
 */
export type ErrorCategory = 'input' | 'auth' | 'not_found' | 'transient' | 'response';

/** One row of the error table. */
export interface ErrorCodeInfo {
  /** Name of the error's class (and its `name`). */
  readonly name: string;
  /** The code's {@link ErrorCategory}. */
  readonly category: ErrorCategory;
  /** Whether an error of this code is retryable unless it says otherwise. */
  readonly isRetryable: boolean;
  /** HTTP statuses that map to this code (retryable ones follow `isRetryable`). */
  readonly statuses: readonly number[];
}

/** The one table of error codes: class name, category, default retryability, HTTP statuses. */
export const errorCodeTable: { readonly [code in GenmetaErrorCode]: ErrorCodeInfo } = {
  invalid_id: { name: 'InvalidIdError', category: 'input', isRetryable: false, statuses: [400] },
  unauthorized: {
    name: 'UnauthorizedError',
    category: 'auth',
    isRetryable: false,
    statuses: [401],
  },
  insufficient_credits: {
    name: 'InsufficientCreditsError',
    category: 'auth',
    isRetryable: false,
    statuses: [402],
  },
  forbidden: { name: 'ForbiddenError', category: 'auth', isRetryable: false, statuses: [403] },
  not_found: { name: 'NotFoundError', category: 'not_found', isRetryable: true, statuses: [404] },
  rate_limited: {
    name: 'RateLimitedError',
    category: 'transient',
    isRetryable: true,
    statuses: [429],
  },
  server_error: {
    name: 'ServerError',
    category: 'transient',
    isRetryable: true,
    statuses: [500, 502, 503, 504, 524, 529],
  },
  timeout: { name: 'TimeoutError', category: 'transient', isRetryable: true, statuses: [408] },
  network: { name: 'NetworkError', category: 'transient', isRetryable: true, statuses: [] },
  invalid_response: {
    name: 'InvalidResponseError',
    category: 'response',
    isRetryable: false,
    statuses: [],
  },
};

const codeByStatus = new Map<number, GenmetaErrorCode>();
for (const [code, info] of Object.entries(errorCodeTable) as [GenmetaErrorCode, ErrorCodeInfo][]) {
  for (const status of info.statuses) codeByStatus.set(status, code);
}

/**
 * The code and retryability of an HTTP error status. A status in no row is an unexpected
 * `server_error`, not retryable (nothing says trying again helps).
 */
export function codeOfStatus(status: number): {
  code: GenmetaErrorCode;
  isRetryable: boolean;
  expected: boolean;
} {
  const code = codeByStatus.get(status);
  if (code === undefined) return { code: 'server_error', isRetryable: false, expected: false };
  return { code, isRetryable: errorCodeTable[code].isRetryable, expected: true };
}
