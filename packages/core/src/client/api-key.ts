import { UnauthorizedError } from '../errors.js';

/** A key, or a (possibly async) function returning one, as `apiKey` accepts. */
export type ApiKeySource = string | (() => string | undefined | Promise<string | undefined>);

/** The key for one attempt: a string, none, or a promise of one (from an async key function). */
export type KeyReading = string | undefined | Promise<string | undefined>;

export const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';

/**
 * Why `key` cannot be an API key (one word of printable ASCII, as a Bearer token is), or
 * `undefined` when it can. Says where the offending character is, never what the key is.
 */
export function apiKeyProblem(key: string): string | undefined {
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    const where = `(character ${index + 1} of ${key.length})`;
    if (code === 0x0a || code === 0x0d) return `it contains a line break ${where}`;
    if (code < 0x20 || code === 0x7f) return `it contains a control character ${where}`;
    // A Bearer token is one word of printable ASCII: a space or a non-ASCII character is a
    // paste or a file holding more than the key, never part of a key.
    if (code === 0x20) return `it contains a space ${where}`;
    if (code > 0x7e) return `it contains a non-ASCII character ${where}`;
  }
  return undefined;
}

/** The advice every invalid-key message ends with. */
const keyAdvice =
  'An API key is one line of printable characters: check how it was read (a file with a second line, a pasted quote or space?)';

/**
 * `key` without surrounding whitespace (a key read from a file keeps its final newline), or
 * `undefined` for an empty one. Throws `invalid(message)` for a key no header can carry; the
 * message never contains the key.
 */
export function checkApiKey(
  key: string,
  what: string,
  invalid: (message: string) => Error,
): string | undefined {
  const trimmed = key.trim();
  if (trimmed === '') return undefined;
  const problem = apiKeyProblem(trimmed);
  if (problem !== undefined)
    throw invalid(`${what} is not a usable API key: ${problem}. ${keyAdvice}.`);
  return trimmed;
}

const keyFunctionFailed = (error: unknown): never => {
  throw new UnauthorizedError('The apiKey function failed', { cause: error, isRetryable: false });
};

// No cause: the raw key must not travel with the error.
const invalidFromFunction = (message: string): Error =>
  new UnauthorizedError(message, { isRetryable: false });

const checked = (key: string | undefined): string | undefined => {
  if (key === undefined || key === null) return undefined;
  if (typeof key !== 'string') {
    throw new UnauthorizedError(`The apiKey function returned ${typeof key}, not a string`, {
      isRetryable: false,
    });
  }
  return checkApiKey(key, 'The key the apiKey function returned', invalidFromFunction);
};

/**
 * Reads the key before each attempt (`missingKey`: no key can be had, each attempt fails with
 * that message). A static key (checked at creation) is returned as is; a
 * key function's answer is checked each time, and a synchronous one is used without a trip
 * through the microtask queue.
 */
export function createKeyReader(
  apiKey: ApiKeySource | undefined,
  missingKey?: string,
): () => KeyReading {
  if (missingKey !== undefined) {
    return () => {
      throw new UnauthorizedError(missingKey, { isRetryable: false });
    };
  }
  if (typeof apiKey !== 'function') return () => apiKey;
  return () => {
    let key: KeyReading;
    try {
      key = apiKey();
    } catch (error) {
      return keyFunctionFailed(error);
    }
    return isPromise(key) ? key.then(checked, keyFunctionFailed) : checked(key);
  };
}
