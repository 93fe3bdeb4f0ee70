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
  /** The code's {@link ErrorCategory}; `transient` and `not_found` are retryable by default. */
  readonly category: ErrorCategory;
  /** HTTP statuses that map to this code. */
  readonly statuses?: readonly number[];
}

/** The one table of error codes: class name, category (hence default retryability), statuses. */
export const errorCodeTable: { readonly [code in GenmetaErrorCode]: ErrorCodeInfo } = {
  invalid_id: { name: 'InvalidIdError', category: 'input', statuses: [400] },
  unauthorized: { name: 'UnauthorizedError', category: 'auth', statuses: [401] },
  insufficient_credits: { name: 'InsufficientCreditsError', category: 'auth', statuses: [402] },
  forbidden: { name: 'ForbiddenError', category: 'auth', statuses: [403] },
  not_found: { name: 'NotFoundError', category: 'not_found', statuses: [404] },
  rate_limited: { name: 'RateLimitedError', category: 'transient', statuses: [429] },
  server_error: {
    name: 'ServerError',
    category: 'transient',
    statuses: [500, 502, 503, 504, 524, 529],
  },
  timeout: { name: 'TimeoutError', category: 'transient', statuses: [408] },
  network: { name: 'NetworkError', category: 'transient' },
  invalid_response: { name: 'InvalidResponseError', category: 'response' },
};

/** Whether errors of `code` are retryable unless they say otherwise. */
export function isRetryableByDefault(code: GenmetaErrorCode): boolean {
  const { category } = errorCodeTable[code];
  return category === 'transient' || category === 'not_found';
}

const codeByStatus = new Map<number, GenmetaErrorCode>();
for (const code in errorCodeTable) {
  for (const status of errorCodeTable[code as GenmetaErrorCode].statuses ?? []) {
    codeByStatus.set(status, code as GenmetaErrorCode);
  }
}

/** The code an HTTP error status maps to, or `undefined` for a status in no row. */
export function codeOfStatus(status: number): GenmetaErrorCode | undefined {
  return codeByStatus.get(status);
}
