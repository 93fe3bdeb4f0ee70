import { REDACTED } from '@genmeta/core/rules';
import type { RedisStoresLogger } from '../types.js';

/** A log-safe summary of a failure: name, code and message, with secrets removed. */
export interface FailureSummary {
  name: string;
  code?: string;
  message: string;
}

/** Replaces every secret (a password from the URL) in text. */
export type Redactor = (text: string) => string;

export function createRedactor(url: string | undefined): Redactor {
  const secrets: string[] = [];
  if (url !== undefined) {
    try {
      const parsed = new URL(url);
      for (const part of [parsed.password, parsed.username]) {
        if (part === '') continue;
        secrets.push(part);
        try {
          secrets.push(decodeURIComponent(part));
        } catch {
          // a malformed escape: the raw form is all there is to hide
        }
      }
    } catch {
      // not a URL: node-redis reports that itself, and there is nothing to hide from it here
    }
  }
  const unique = [...new Set(secrets)].filter((secret) => secret.length > 0);
  return (text) => unique.reduce((result, secret) => result.split(secret).join(REDACTED), text);
}

export function summarizeFailure(error: unknown, redact: Redactor): FailureSummary {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: redact(error.message),
    };
  }
  return { name: 'Error', message: redact(String(error)) };
}

/**
 * Tracks whether Redis answers, across the three stores of one `createRedisStores`, so that an
 * outage is logged once when it starts and once when it ends, not once per call.
 */
export interface Health {
  /** False from a failure until the next success. */
  readonly available: boolean;
  /** A call failed (or the connection reported an error). */
  failed(operation: string, failure: FailureSummary): void;
  /** A call succeeded. */
  succeeded(): void;
}

export function createHealth(logger: RedisStoresLogger): Health {
  let available = true;
  const log = (level: 'warn' | 'info', object: object, message: string): void => {
    try {
      (level === 'info' && logger.info ? logger.info : logger.warn).call(logger, object, message);
    } catch {
      // a failing logger must not fail the app's request
    }
  };
  return {
    get available() {
      return available;
    },
    failed(operation, failure) {
      if (!available) return;
      available = false;
      log(
        'warn',
        { operation, error: failure },
        'genmeta redis: unavailable; the cache misses, the registry refuses (503), spend is not counted, until it answers again',
      );
    },
    succeeded() {
      if (available) return;
      available = true;
      log('info', {}, 'genmeta redis: available again');
    },
  };
}
