/**
 * What `flush()` waits for: the records of requests finished before its call, not those that
 * finish later (steady traffic never holds it). Each call closes an epoch; it settles once no
 * record of that epoch or an older one is in flight. A few epochs exist at once at most: one
 * per waiting call, plus the current one.
 */
export function createFlushEpochs() {
  let epoch = 0;
  const inFlight = new Map<number, number>();
  let waiters: Array<{ epoch: number; resolve: () => void }> = [];

  function oldestInFlight(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const key of inFlight.keys()) oldest = Math.min(oldest, key);
    return oldest;
  }

  return {
    /** A record started its life: the epoch it belongs to. */
    started(): number {
      inFlight.set(epoch, (inFlight.get(epoch) ?? 0) + 1);
      return epoch;
    },
    /** A record of `of` is done. */
    done(of: number): void {
      const left = (inFlight.get(of) ?? 1) - 1;
      if (left > 0) {
        inFlight.set(of, left);
        return;
      }
      inFlight.delete(of);
      if (waiters.length === 0) return;
      const oldest = oldestInFlight();
      const ready = waiters.filter((waiter) => waiter.epoch < oldest);
      if (ready.length === 0) return;
      waiters = waiters.filter((waiter) => waiter.epoch >= oldest);
      for (const waiter of ready) waiter.resolve();
    },
    /** Settles once every record started before this call is done. */
    settled(): Promise<void> {
      if (inFlight.size === 0) return Promise.resolve();
      const closing = epoch;
      epoch += 1;
      return new Promise<void>((resolve) => waiters.push({ epoch: closing, resolve }));
    },
  };
}
