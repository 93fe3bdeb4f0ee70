const brand = Symbol.for('@genmeta/redis.RedisUnavailableError');

/** Why a Redis operation did not answer. */
export type RedisUnavailableReason = 'error' | 'timeout' | 'closed';

/**
 * Redis could not answer an operation that must not guess: the registry's `has` rejects with it
 * (fails closed), so a generation proxy answers 503 rather than serving an unchecked id.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  /** Stable code for logs and JSON. */
  readonly code = 'redis_unavailable';
  /** `error` (Redis or the connection failed), `timeout` (no answer in time), `closed` (the stores were closed). */
  readonly reason: RedisUnavailableReason;
  /** The store operation that failed, e.g. `registry.has`. */
  readonly operation: string;

  constructor(operation: string, reason: RedisUnavailableReason, options?: { cause?: unknown }) {
    super(
      reason === 'timeout'
        ? `Redis did not answer ${operation} in time`
        : reason === 'closed'
          ? `The Redis stores are closed (${operation})`
          : `Redis is unavailable (${operation})`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.reason = reason;
    this.operation = operation;
    Object.defineProperty(this, brand, { value: true });
  }

  /** A plain object for logs: name, code, reason, operation, message (no cause, no URL). */
  toJSON(): {
    name: string;
    code: string;
    reason: RedisUnavailableReason;
    operation: string;
    message: string;
  } {
    return {
      name: this.name,
      code: this.code,
      reason: this.reason,
      operation: this.operation,
      message: this.message,
    };
  }
}

/** Whether a value is a {@link RedisUnavailableError}, also across duplicate copies of this package. */
export function isRedisUnavailableError(value: unknown): value is RedisUnavailableError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
