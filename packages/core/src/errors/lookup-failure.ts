import { type GenmetaError, isGenmetaError, NetworkError } from '../errors.js';

/**
 * What a lookup of `id` rejected with, as a {@link GenmetaError}: itself when it is one, else a
 * `NetworkError` naming the id, with the thrown value as its cause. Core's own lookups reject with
 * GenmetaError only; a custom client or a fetch that throws a string may not.
 */
export function lookupFailure(id: string, error: unknown): GenmetaError {
  return isGenmetaError(error)
    ? error
    : new NetworkError(`Lookup of generation ${id} failed: ${String(error)}`, {
        generationId: id,
        cause: error,
      });
}
