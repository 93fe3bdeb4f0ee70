import type { FakeOpenRouter } from '@genmeta/fake-openrouter';
import { type ClientOptions, createClient, type GenmetaClient, type Logger } from '../src/index.js';

/** A client of `fake` with test-sized delays (every option can be overridden). */
export function clientOf(fake: FakeOpenRouter, options: ClientOptions = {}): GenmetaClient {
  return createClient({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    retryDelayMs: 5,
    deadlineMs: 5_000,
    timeoutMs: 5_000,
    ...options,
  });
}

export interface LogEntry {
  level: keyof Logger;
  message: string;
  details?: Record<string, unknown>;
}

/** A logger that keeps every line. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const keep =
    (level: keyof Logger) =>
    (details: Record<string, unknown>, message: string): void => {
      entries.push({ level, message, details });
    };
  return {
    entries,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

/** Awaits a rejection and returns it (fails the test when the promise resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

export { until } from '@genmeta/fake-openrouter/vitest';

/**
 * Whether `promise` settles before the event loop's next turn (a `setImmediate`), that is, from
 * the microtasks that follow the current moment. An abort answered this way is answered at once,
 * however loaded the machine is, which a wall-clock bound such as "within 50 ms" cannot promise.
 */
export async function settlesBeforeNextTurn(promise: Promise<unknown>): Promise<boolean> {
  const nextTurn = new Promise<false>((resolve) => setImmediate(() => resolve(false)));
  return Promise.race([promise.then(() => true), nextTurn]);
}
