import { UnauthorizedError } from '../errors.js';
import type { ApiKeySource } from './options.js';

/** The key for one attempt: a string, none, or a promise of one (from an async key function). */
export type KeyReading = string | undefined | Promise<string | undefined>;

export const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';

const keyFunctionFailed = (error: unknown): never => {
  throw new UnauthorizedError('The apiKey function failed', { cause: error, isRetryable: false });
};
const nonEmpty = (key: string | undefined): string | undefined => (key === '' ? undefined : key);

/**
 * Reads the key before each attempt. A static key is returned as is; a synchronous key
 * function's answer is used without a trip through the microtask queue.
 */
export function createKeyReader(apiKey: ApiKeySource | undefined): () => KeyReading {
  if (typeof apiKey !== 'function') return () => apiKey;
  return () => {
    let key: KeyReading;
    try {
      key = apiKey();
    } catch (error) {
      return keyFunctionFailed(error);
    }
    return isPromise(key) ? key.then(nonEmpty, keyFunctionFailed) : nonEmpty(key);
  };
}
