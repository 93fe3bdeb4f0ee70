import { setMaxListeners } from 'node:events';
import type {
  Generation,
  GenerationResult,
  GenmetaClient,
  GetGenerationOptions,
} from '@genmeta/core';
import { lookupFailure } from '@genmeta/core/rules';
import { createLookupQueue } from '@genmeta/core/server';

/** Options of {@link lookUpInOrder}. */
export interface OrderedLookupOptions {
  concurrency: number;
  /**
   * How far lookups may run ahead of the oldest result not yet delivered: it bounds the
   * results held in memory while a slow lookup holds up the ones after it.
   */
  window: number;
  /** aborts every lookup; results already finished are still delivered */
  signal: AbortSignal | undefined;
  lookup: Omit<GetGenerationOptions, 'signal'>;
  /** each result, in input order; a returned promise (a full output) holds the next ones */
  deliver(result: GenerationResult, index: number): void | Promise<void>;
  /** a lookup finished (in any order), for progress */
  onSettled?(result: GenerationResult): void;
  /** true for a failure that dooms the rest of the batch (a refused key): start no more */
  stopsBatch(result: GenerationResult): boolean;
}

/** How a batch ended. */
export interface OrderedLookupOutcome {
  /** results delivered */
  delivered: number;
  /** ids never looked up or cut short, because of an abort or a batch-stopping failure */
  notLookedUp: number;
  /** the failure that stopped the batch, if one did */
  stoppedBy: GenerationResult | undefined;
}

function failedResult(id: string, error: unknown): GenerationResult {
  return {
    id,
    ok: false,
    error: lookupFailure(id, error),
  };
}

/**
 * Looks ids up on core's lookup queue and delivers each result in input order as soon as every
 * earlier one is delivered, so output starts at once and memory stays bounded by `window`.
 * After an abort or a batch-stopping failure, finished results are delivered (in order, past
 * the gaps) and the rest counted as not looked up.
 */
export function lookUpInOrder(
  client: GenmetaClient,
  ids: readonly string[],
  options: OrderedLookupOptions,
): Promise<OrderedLookupOutcome> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  // Each lookup in flight listens to the signal: expected, not a leak.
  setMaxListeners(options.concurrency * 4 + 16, signal);
  const queue = createLookupQueue({ client, concurrency: options.concurrency, signal });
  const finished = new Map<number, GenerationResult>();
  let stoppedBy: GenerationResult | undefined;
  let nextToStart = 0;
  let nextToDeliver = 0;
  let delivered = 0;
  let unsettled = 0;
  let delivering = Promise.resolve();
  // A delivery that throws (a usage error found in the first result) stops the batch too.
  let deliveryFailure: { error: unknown } | undefined;

  return new Promise((resolve, reject) => {
    const deliverInOrder = async () => {
      while (deliveryFailure === undefined && finished.has(nextToDeliver)) {
        const result = finished.get(nextToDeliver) as GenerationResult;
        finished.delete(nextToDeliver);
        await options.deliver(result, nextToDeliver);
        nextToDeliver += 1;
        delivered += 1;
      }
    };
    let ended = false;
    const finish = async () => {
      if (ended) return;
      ended = true;
      if (deliveryFailure) return reject(deliveryFailure.error);
      // Past an abort or a stop: what finished is delivered in order, around the gaps.
      try {
        for (const index of [...finished.keys()].sort((a, b) => a - b)) {
          await options.deliver(finished.get(index) as GenerationResult, index);
          delivered += 1;
        }
      } catch (error) {
        return reject(error);
      }
      resolve({ delivered, notLookedUp: ids.length - delivered, stoppedBy });
    };
    const settle = (index: number, result: GenerationResult | undefined) => {
      unsettled -= 1;
      if (result) {
        options.onSettled?.(result);
        finished.set(index, result);
        if (stoppedBy === undefined && options.stopsBatch(result)) {
          stoppedBy = result;
          stop.abort(new Error('the batch was stopped'));
        }
      }
      delivering = delivering.then(deliverInOrder).catch((error: unknown) => {
        deliveryFailure ??= { error };
        stop.abort(error);
      });
      delivering.then(feed);
    };
    const feed = () => {
      // Ids go to the queue only as slots free up: a queued lookup would hold a listener on the
      // signal, and each one costs every other lookup's removal.
      while (
        !signal.aborted &&
        nextToStart < ids.length &&
        nextToStart < nextToDeliver + options.window &&
        unsettled < options.concurrency
      ) {
        const index = nextToStart++;
        const id = ids[index] as string;
        unsettled += 1;
        queue.add(id, { ...options.lookup, signal }).then(
          (generation: Generation) => settle(index, { id, ok: true, generation }),
          // An aborted lookup was cut short: not a result, counted as not looked up.
          (error: unknown) => settle(index, signal.aborted ? undefined : failedResult(id, error)),
        );
      }
      const done = signal.aborted || nextToStart >= ids.length;
      if (done && unsettled === 0) void finish();
    };
    feed();
  });
}
