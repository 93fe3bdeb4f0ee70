import { setMaxListeners } from 'node:events';
import type { GenerationResult, GenmetaClient, GetGenerationOptions } from '@genmeta/core';
import { isGenmetaError, NetworkError } from '@genmeta/core';

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

/**
 * Looks ids up `concurrency` at a time and delivers each result in input order as soon as every
 * earlier one is delivered, so output can start at once and memory stays bounded by `window`.
 * After an abort or a batch-stopping failure, finished results are delivered (in order, past
 * the gaps) and the rest counted as not looked up.
 */
export async function lookUpInOrder(
  client: GenmetaClient,
  ids: readonly string[],
  options: OrderedLookupOptions,
): Promise<OrderedLookupOutcome> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const finished = new Map<number, GenerationResult>();
  let stoppedBy: GenerationResult | undefined;
  let nextToStart = 0;
  let nextToDeliver = 0;
  let delivered = 0;
  let windowWaiters: (() => void)[] = [];
  const openWindow = () => {
    const waiters = windowWaiters;
    windowWaiters = [];
    for (const resume of waiters) resume();
  };
  signal.addEventListener('abort', openWindow, { once: true });
  const waitForWindow = () => new Promise<void>((resolve) => windowWaiters.push(resolve));
  let delivering = Promise.resolve();
  // A delivery that throws (a usage error found in the first result) stops the batch too.
  let deliveryFailure: { error: unknown } | undefined;

  const deliverInOrder = async () => {
    while (deliveryFailure === undefined && finished.has(nextToDeliver)) {
      const result = finished.get(nextToDeliver) as GenerationResult;
      finished.delete(nextToDeliver);
      await options.deliver(result, nextToDeliver);
      nextToDeliver += 1;
      delivered += 1;
      openWindow();
    }
  };
  const worker = async (): Promise<void> => {
    while (!signal.aborted && nextToStart < ids.length) {
      if (nextToStart >= nextToDeliver + options.window) {
        await waitForWindow();
        continue;
      }
      const index = nextToStart++;
      const id = ids[index] as string;
      let result: GenerationResult;
      try {
        result = {
          id,
          ok: true,
          generation: await client.getGeneration(id, { ...options.lookup, signal }),
        };
      } catch (error) {
        if (signal.aborted) return;
        result = {
          id,
          ok: false,
          error: isGenmetaError(error)
            ? error
            : new NetworkError(`Lookup of ${id} failed: ${String(error)}`, {
                generationId: id,
                cause: error,
              }),
        };
      }
      options.onSettled?.(result);
      finished.set(index, result);
      if (options.stopsBatch(result) && stoppedBy === undefined) {
        stoppedBy = result;
        stop.abort(new Error('the batch was stopped'));
      }
      delivering = delivering.then(deliverInOrder).catch((error: unknown) => {
        deliveryFailure ??= { error };
        stop.abort(error);
      });
      await delivering;
    }
  };

  // Each lookup in flight listens to the signal: expected, not a leak.
  setMaxListeners(options.concurrency * 4 + 16, signal);
  await Promise.all(Array.from({ length: Math.min(options.concurrency, ids.length) }, worker));
  if (deliveryFailure) throw deliveryFailure.error;
  // Past an abort or a stop: what finished is delivered in order, around the gaps.
  for (const index of [...finished.keys()].sort((a, b) => a - b)) {
    await options.deliver(finished.get(index) as GenerationResult, index);
    delivered += 1;
  }
  finished.clear();
  return { delivered, notLookedUp: ids.length - delivered, stoppedBy };
}
