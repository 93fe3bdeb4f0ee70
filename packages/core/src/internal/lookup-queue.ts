import type { GenmetaClient, GetGenerationOptions } from '../client.js';
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
   * Aborts every lookup, running or queued; each rejects with `signal.reason`.
   * @default undefined
   */
  signal?: AbortSignal;
}

/** A bounded-concurrency queue of `getGeneration` lookups. */
export interface LookupQueue {
  /** Queues a lookup; settles as `client.getGeneration(id, options)` does once it runs. */
  add(id: string, options?: GetGenerationOptions): Promise<Generation>;
  /** Lookups running now. */
  readonly running: number;
  /** Lookups waiting for a free slot. */
  readonly queued: number;
  /** Resolves once nothing is running or queued. */
  idle(): Promise<void>;
}

interface Job {
  id: string;
  options: GetGenerationOptions | undefined;
  resolve(generation: Generation): void;
  reject(error: unknown): void;
}

/** The one pool of lookups: `getGenerations` and the middleware run on it. */
export function createLookupQueue(options: LookupQueueOptions): LookupQueue {
  const { client, signal } = options;
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${String(concurrency)}`);
  }
  const jobs: Job[] = [];
  let head = 0;
  let running = 0;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = (): void => {
    if (running > 0 || head < jobs.length) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const take = (): Job | undefined => {
    const job = jobs[head];
    if (job === undefined) return undefined;
    jobs[head++] = undefined as never;
    // Compact once the consumed head dominates the array.
    if (head > 1024 && head * 2 > jobs.length) {
      jobs.splice(0, head);
      head = 0;
    }
    return job;
  };

  const pump = (): void => {
    while (running < concurrency) {
      const job = take();
      if (job === undefined) break;
      running++;
      let lookup: Promise<Generation>;
      try {
        lookup = client.getGeneration(job.id, job.options);
      } catch (error) {
        lookup = Promise.reject(error);
      }
      lookup.then(job.resolve, job.reject).finally(() => {
        running--;
        pump();
        settleIdle();
      });
    }
  };

  signal?.addEventListener(
    'abort',
    () => {
      for (let job = take(); job !== undefined; job = take()) job.reject(signal.reason);
      settleIdle();
    },
    { once: true },
  );

  return {
    add(id, lookupOptions) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<Generation>((resolve, reject) => {
        const withSignal =
          signal && lookupOptions?.signal === undefined
            ? { ...lookupOptions, signal }
            : lookupOptions;
        jobs.push({ id, options: withSignal, resolve, reject });
        pump();
      });
    },
    get running() {
      return running;
    },
    get queued() {
      return jobs.length - head;
    },
    idle() {
      if (running === 0 && head >= jobs.length) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
