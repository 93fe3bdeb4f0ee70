import { errorCodeTable, type GenmetaErrorCode, isRetryableByDefault } from './errors/table.js';

export type { GenmetaErrorCode } from './errors/table.js';

/** Details a {@link GenmetaError} subclass accepts besides its message. */
export interface GenmetaErrorOptions {
  /** HTTP status, when HTTP gave one. */
  status?: number | undefined;
  /** Whether trying again later may succeed. Defaults per code. */
  isRetryable?: boolean | undefined;
  /** How long the server asked to wait (Retry-After), in ms. */
  retryAfterMs?: number | undefined;
  /** The generation id the lookup was for. */
  generationId?: string | undefined;
  /** The underlying error (never carries request headers). */
  cause?: unknown;
}

/** The plain-object form of a {@link GenmetaError}, as `JSON.stringify` writes it. */
export interface GenmetaErrorJson {
  name: string;
  code: GenmetaErrorCode;
  message: string;
  status?: number;
  isRetryable: boolean;
  retryAfterMs?: number;
  generationId?: string;
}

const brand: unique symbol = Symbol.for('genmeta.error') as never;

/**
 * Base class of every error genmeta throws. Check with {@link isGenmetaError} rather than
 * `instanceof` when several copies of the package may be installed.
 */
export class GenmetaError extends Error {
  /** What went wrong, machine-readable. */
  readonly code: GenmetaErrorCode;
  /** HTTP status when HTTP gave one. */
  readonly status: number | undefined;
  /** Whether trying again later may succeed. */
  readonly isRetryable: boolean;
  /** How long the server asked to wait before trying again, in ms, when it said. */
  readonly retryAfterMs: number | undefined;
  /** The generation id the failing lookup was for. */
  readonly generationId: string | undefined;

  constructor(code: GenmetaErrorCode, message: string, options: GenmetaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.isRetryable = options.isRetryable ?? isRetryableByDefault(code);
    this.retryAfterMs = options.retryAfterMs;
    this.generationId = options.generationId;
    Object.defineProperty(this, brand, { value: true });
  }

  override get name(): string {
    return 'GenmetaError';
  }

  /** A plain object with the public fields (no cause), for logs and JSON answers. */
  toJSON(): GenmetaErrorJson {
    const json: GenmetaErrorJson = {
      name: this.name,
      code: this.code,
      message: this.message,
      isRetryable: this.isRetryable,
    };
    if (this.status !== undefined) json.status = this.status;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    if (this.generationId !== undefined) json.generationId = this.generationId;
    return json;
  }
}

/** The base of one code's subclass: code and name come from the error table. */
function errorOfCode(code: GenmetaErrorCode) {
  const { name } = errorCodeTable[code];
  return class extends GenmetaError {
    constructor(message: string, options?: GenmetaErrorOptions) {
      super(code, message, options);
    }
    override get name(): string {
      return name;
    }
  };
}

/** The id is not a valid generation id (checked locally, or a 400 from the server). Code `invalid_id`. */
export class InvalidIdError extends errorOfCode('invalid_id') {}
/** 401: the API key is missing or wrong. Code `unauthorized`. */
export class UnauthorizedError extends errorOfCode('unauthorized') {}
/** 402: the account has no credits left. Code `insufficient_credits`. */
export class InsufficientCreditsError extends errorOfCode('insufficient_credits') {}
/** 403: the key may not read this generation. Code `forbidden`. */
export class ForbiddenError extends errorOfCode('forbidden') {}
/** 404: unknown id, or its stats were still not ready when the deadline passed. Code `not_found`. */
export class NotFoundError extends errorOfCode('not_found') {}
/** 429: too many requests; see `retryAfterMs`. Code `rate_limited`. */
export class RateLimitedError extends errorOfCode('rate_limited') {}
/** 5xx (incl. 524, 529) or another unexpected status. Code `server_error`. */
export class ServerError extends errorOfCode('server_error') {}
/** An attempt took longer than `timeoutMs`, a 408, or the lookup's deadline passed. Code `timeout`. */
export class TimeoutError extends errorOfCode('timeout') {}
/** The connection failed: refused, reset, dropped, DNS. Code `network`. */
export class NetworkError extends errorOfCode('network') {}
/** A success status with a body that is not JSON or fails the schema. Code `invalid_response`. */
export class InvalidResponseError extends errorOfCode('invalid_response') {}

/** Each code's class. */
export const errorClasses = {
  invalid_id: InvalidIdError,
  unauthorized: UnauthorizedError,
  insufficient_credits: InsufficientCreditsError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  rate_limited: RateLimitedError,
  server_error: ServerError,
  timeout: TimeoutError,
  network: NetworkError,
  invalid_response: InvalidResponseError,
} as const satisfies {
  readonly [code in GenmetaErrorCode]: new (
    message: string,
    options?: GenmetaErrorOptions,
  ) => GenmetaError;
};

/**
 * True for a {@link GenmetaError} from any copy of this package (checks a `Symbol.for` brand,
 * not `instanceof`).
 */
export function isGenmetaError(value: unknown): value is GenmetaError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}
