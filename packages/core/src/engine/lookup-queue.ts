import type { GenmetaClient, GetGenerationOptions } from '../client/types.js';
import { abortable } from '../internal/abort.js';
import { createPool } from '../internal/pool.js';
import type { Generation } from '../schemas/generation.js';

/** Options of {@link createLookupQueue}. */
export interface LookupQueueOptions {
  /** The client whose `getGeneration` runs the lookups. */
  client: Pick<GenmetaClient, 'getGeneration'>;
  /**
   * Lookups running at once.
   * @default 8
   */
  concurrency?: number;
  /**
   * Aborts every lookup, running or queued: each rejects with `signal.reason` at once.
   * @default undefined
   */
  signal?: AbortSignal;
}

/** A bounded-concurrency queue of `getGeneration` lookups. */
export interface LookupQueue {
  /**
   * Queues a lookup; settles as `client.getGeneration(id, options)` does once it runs. The
   * queue's signal is passed on unless `options.signal` is given.
   */
  add(id: string, options?: GetGenerationOptions): Promise<Generation>;
  /** Lookups running now. */
  readonly running: number;
  /** Lookups waiting for a free slot. */
  readonly queued: number;
  /** Resolves once nothing is running or queued. */
  idle(): Promise<void>;
}

/** The lookup queue over core's one pool (`getGenerations` runs on the same pool). */
export function createLookupQueue(options: LookupQueueOptions): LookupQueue {
  const { client, signal } = options;
  const pool = createPool(options.concurrency ?? 8);
  let outstanding = 0;
  let queued = 0;
  let idleWaiters: (() => void)[] = [];
  const settled = (): void => {
    if (--outstanding > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  return {
    add(id, lookupOptions) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const withSignal =
        signal && lookupOptions?.signal === undefined
          ? { ...lookupOptions, signal }
          : lookupOptions;
      outstanding++;
      queued++;
      const lookup = pool(() => {
        queued--;
        return client.getGeneration(id, withSignal);
      });
      lookup.then(settled, settled);
      // A queued lookup answers an abort at once, not when its turn comes.
      return abortable(lookup, withSignal?.signal);
    },
    get running() {
      return outstanding - queued;
    },
    get queued() {
      return queued;
    },
    idle() {
      if (outstanding === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
