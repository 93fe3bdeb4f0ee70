import type { Generation, GetGenerationOptions } from '@genmeta/core';

/** What the queue needs of a client (a `GenmetaClient` fits). */
export interface LookupClient {
  getGeneration(id: string, options?: GetGenerationOptions): Promise<Generation>;
}

/** Options of {@link createLookupQueue}. */
export interface LookupQueueOptions {
  client: LookupClient;
  /** Lookups running at once. */
  concurrency: number;
  /** Aborting it rejects the queued lookups with its reason and aborts the running ones. */
  signal?: AbortSignal;
}

/** A bounded-concurrency queue of generation lookups, first in, first out. */
export interface LookupQueue {
  add(id: string, options?: Omit<GetGenerationOptions, 'signal'>): Promise<Generation>;
  /** Lookups running now. */
  readonly running: number;
  /** Lookups waiting for a slot. */
  readonly queued: number;
}

interface Job {
  id: string;
  options: GetGenerationOptions;
  resolve(generation: Generation): void;
  reject(error: unknown): void;
}

export function createLookupQueue(options: LookupQueueOptions): LookupQueue {
  const { client, concurrency, signal } = options;
  let jobs: Job[] = [];
  let head = 0;
  let running = 0;

  function settled(): void {
    running -= 1;
    pump();
  }

  function start(job: Job): void {
    running += 1;
    let lookup: Promise<Generation>;
    try {
      lookup = client.getGeneration(job.id, job.options);
    } catch (error) {
      lookup = Promise.reject(error);
    }
    lookup.then(
      (generation) => {
        settled();
        job.resolve(generation);
      },
      (error: unknown) => {
        settled();
        job.reject(error);
      },
    );
  }

  function pump(): void {
    while (head < jobs.length) {
      if (signal?.aborted) {
        const job = jobs[head]!;
        head += 1;
        job.reject(signal.reason);
        continue;
      }
      if (running >= concurrency) {
        // A queue that never empties under load must not keep what it already started.
        if (head >= 1024 && head * 2 >= jobs.length) {
          jobs = jobs.slice(head);
          head = 0;
        }
        return;
      }
      const job = jobs[head]!;
      head += 1;
      start(job);
    }
    jobs = [];
    head = 0;
  }

  signal?.addEventListener('abort', pump, { once: true });

  return {
    add(id, lookupOptions = {}) {
      return new Promise<Generation>((resolve, reject) => {
        const job: Job = {
          id,
          options: signal === undefined ? lookupOptions : { ...lookupOptions, signal },
          resolve,
          reject,
        };
        if (running < concurrency && head === jobs.length && !signal?.aborted) start(job);
        else {
          jobs.push(job);
          pump();
        }
      });
    },
    get running() {
      return running;
    },
    get queued() {
      return jobs.length - head;
    },
  };
}
