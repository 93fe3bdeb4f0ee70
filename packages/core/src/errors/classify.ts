import { errorClasses, isGenmetaError } from '../errors.js';
import {
  codeOfStatus,
  type ErrorCategory,
  errorCodeTable,
  type GenmetaErrorCode,
  isRetryableByDefault,
} from './table.js';

/** One row of {@link errorTable}. */
export interface ErrorTableEntry {
  /** Name of the error's class (and its `name`). */
  readonly name: string;
  /** The code's category. */
  readonly category: ErrorCategory;
  /** Whether errors of this code are retryable unless they say otherwise. */
  readonly isRetryable: boolean;
  /** HTTP statuses that map to this code (any other error status is an unexpected `server_error`). */
  readonly statuses: readonly number[];
  /** The code's error class (a {@link GenmetaError} subclass). */
  readonly errorClass: (typeof errorClasses)[GenmetaErrorCode];
}

/** The one error table: for each code its class, category, default retryability and statuses. */
export const errorTable: { readonly [code in GenmetaErrorCode]: ErrorTableEntry } = Object.freeze(
  Object.fromEntries(
    (Object.keys(errorCodeTable) as GenmetaErrorCode[]).map((code) => [
      code,
      Object.freeze({
        name: errorCodeTable[code].name,
        category: errorCodeTable[code].category,
        isRetryable: isRetryableByDefault(code),
        statuses: Object.freeze([...(errorCodeTable[code].statuses ?? [])]),
        errorClass: errorClasses[code],
      }),
    ]),
  ) as { [code in GenmetaErrorCode]: ErrorTableEntry },
);

/** The categories of {@link errorTable}, in table order. */
export const errorCategories: readonly ErrorCategory[] = Object.freeze([
  'input',
  'auth',
  'not_found',
  'transient',
  'response',
]);

/** What {@link classifyError} says of a thrown value. */
export interface ErrorClassification {
  /** The error's code (a value that is no GenmetaError gets the code of what it looks like). */
  code: GenmetaErrorCode;
  /** The code's category. */
  category: ErrorCategory;
  /** Whether trying again may succeed. */
  isRetryable: boolean;
  /** The HTTP status, when there was one. */
  status?: number;
}

function statusOf(value: unknown): number | undefined {
  const status = (value as { status?: unknown } | null | undefined)?.status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400
    ? status
    : undefined;
}

/**
 * Classifies any thrown value over the error table. A {@link GenmetaError} keeps its own code,
 * status and retryability. Otherwise: a value with an HTTP error `status` (a `Response`, ky's
 * `HTTPError.response`) maps like a server answer; a `TimeoutError` (as `AbortSignal.timeout`
 * throws) is `timeout`; anything else is `network`, as the client reports failed fetches.
 */
export function classifyError(error: unknown): ErrorClassification {
  if (isGenmetaError(error)) {
    const classified: ErrorClassification = {
      code: error.code,
      category: errorCodeTable[error.code].category,
      isRetryable: error.isRetryable,
    };
    if (error.status !== undefined) classified.status = error.status;
    return classified;
  }
  const status =
    statusOf(error) ?? statusOf((error as { response?: unknown } | null | undefined)?.response);
  if (status !== undefined) {
    const code = codeOfStatus(status);
    return code === undefined
      ? { code: 'server_error', category: 'transient', isRetryable: false, status }
      : {
          code,
          category: errorCodeTable[code].category,
          isRetryable: isRetryableByDefault(code),
          status,
        };
  }
  const name = (error as { name?: unknown } | null | undefined)?.name;
  const code: GenmetaErrorCode = name === 'TimeoutError' ? 'timeout' : 'network';
  return {
    code,
    category: errorCodeTable[code].category,
    isRetryable: isRetryableByDefault(code),
  };
}
