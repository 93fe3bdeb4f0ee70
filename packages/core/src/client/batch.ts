import { lookupFailure } from '../errors/lookup-failure.js';
import { type AbortSource, abortable, fanOut } from '../internal/abort.js';
import { createPool } from '../internal/pool.js';
import type { Generation } from '../schemas/generation.js';
import type { Log } from './log.js';
import type {
  GenerationResult,
  GenmetaClient,
  GetGenerationOptions,
  GetGenerationsOptions,
} from './types.js';

/** `getGeneration` as the client has it inside: any abort source will do for the signal. */
export type LookupOf<Signal> = (
  id: string,
  options?: Omit<GetGenerationOptions, 'signal'> & { signal?: Signal | undefined },
) => Promise<Generation>;

/**
 * `getGenerations` over `getGeneration`, each call on its own bounded pool (`internal/pool.ts`,
 * the pool the lookup queue is built on too).
 */
export function createBatch(
  getGeneration: LookupOf<AbortSource>,
  log: Log,
): GenmetaClient['getGenerations'] {
  return async (ids, batchOptions: GetGenerationsOptions = {}) => {
    const { concurrency = 8, onResult, ...lookupOptions } = batchOptions;
    const pool = createPool(concurrency);
    const { signal } = lookupOptions;
    if (signal?.aborted) throw signal.reason;
    // One listener on the caller's signal for the whole batch, however many lookups are in flight.
    const batchSignal = signal && fanOut(signal);
    const perLookup = { ...lookupOptions, signal: batchSignal };
    const results = new Array<GenerationResult>(ids.length);
    const lookupAt = async (id: string, index: number): Promise<void> => {
      let result: GenerationResult;
      try {
        // A lookup whose turn comes after an abort rejects at once: its signal is aborted.
        result = { id, ok: true, generation: await pool(() => getGeneration(id, perLookup)) };
      } catch (error) {
        if (signal?.aborted) return;
        result = { id, ok: false, error: lookupFailure(id, error) };
      }
      results[index] = result;
      try {
        onResult?.(result, index);
      } catch (error) {
        log('error', { index, error: String(error) }, 'onResult threw');
      }
    };
    try {
      await abortable(Promise.all(ids.map(lookupAt)), batchSignal);
    } finally {
      batchSignal?.close();
    }
    return results;
  };
}
