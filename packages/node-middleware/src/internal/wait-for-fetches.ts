import type { CostRecordUnresolvedFetch } from '../types.js';
import type { RequestContext } from './context.js';
import { type AbortLike, bound } from './timing.js';

/**
 * Waits, until `deadline` (epoch ms) or `abandon`, for the tracked fetches of a request whose
 * response is over; streams nobody reads are drained up to their id meanwhile. Fetches started
 * during the wait are waited for too. `sealed` gets the fetches still running (if any).
 */
export async function waitForFetches(
  context: RequestContext,
  deadline: number,
  abandon: AbortLike,
  sealed: (unresolved: CostRecordUnresolvedFetch[] | undefined) => void,
): Promise<void> {
  for (;;) {
    const inFlight = context.fetchesInFlight;
    if (inFlight === undefined || inFlight.size === 0) {
      sealed(undefined);
      return;
    }
    const remaining = deadline - Date.now();
    if (abandon.aborted || remaining <= 0) {
      const reason = abandon.aborted ? 'closed' : 'in_flight';
      sealed([...inFlight].map((entry) => ({ url: entry.url, reason })));
      return;
    }
    const entries = [...inFlight];
    for (const entry of entries) entry.drain?.();
    const timeout = bound(remaining, abandon);
    await Promise.race([Promise.allSettled(entries.map((entry) => entry.settled)), timeout.ended]);
    timeout.clear();
  }
}
