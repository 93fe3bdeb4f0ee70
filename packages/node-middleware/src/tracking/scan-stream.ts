import type { InFlightFetch, RequestContext } from '../record/context.js';
import { isSealed } from '../record/states.js';

/** Reads what it needs of a body as it passes (a no-op once it needs nothing more). */
export interface BodyScanner {
  push(chunk: Uint8Array): void;
  /** the body ended */
  end(): void;
  /** the body was cancelled or failed: nothing more will come */
  stop(): void;
  /**
   * The fetch may settle: its id is known, or nothing more can be learnt before the end (later
   * bytes may still bring usage, read as the caller reads them).
   */
  readonly settled: boolean;
}

/**
 * Most bytes read from a body nobody reads, after the request's response is over, looking for
 * its id (whatever `inflightWaitMs` allows): then the drain stops and the record says
 * `drain_limit`.
 */
export const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

function sameShape(original: Response, body: ReadableStream<Uint8Array>): Response {
  const wrapped = new Response(body, {
    status: original.status,
    statusText: original.statusText,
    headers: original.headers,
  });
  Object.defineProperties(wrapped, {
    url: { value: original.url },
    redirected: { value: original.redirected },
    type: { value: original.type },
  });
  return wrapped;
}

/** What {@link tapBody} settles once the scanner learnt all it could, and may drain. */
export interface TapTracking {
  readonly context: RequestContext;
  readonly inFlight: InFlightFetch;
  /** the scanner settled without an id because of a bound of ours: shown in the record */
  readonly unresolvedReason?: () => 'scan_limit' | undefined;
}

/**
 * Hands the caller an identical body that `scanner` sees as it is read: nothing is read ahead
 * of the caller, buffered or delayed, and a cancelled body is not read further. With
 * `tracking`, when the request's response is over before the scanner settled (nobody reads
 * the body), `drain` reads on by itself, queueing what it read for the caller, until the
 * scanner settles, the body ends, the record is sealed (`inflightWaitMs`) or
 * MAX_DRAIN_BYTES were drained, whichever comes first.
 */
export function tapBody(
  response: Response,
  body: ReadableStream<Uint8Array>,
  scanner: BodyScanner,
  tracking?: TapTracking,
): Response {
  const reader = body.getReader();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  let cancelled = false;
  let drainedBytes = 0;
  /** reads are chained: the caller's pulls and the drain never read at once */
  let reading: Promise<void> = Promise.resolve();

  let draining = false;
  const settle = (): void => {
    if (scanner.settled) tracking?.inFlight.done(tracking.unresolvedReason?.());
  };
  const finish = (): void => {
    finished = true;
    tracking?.inFlight.done(tracking.unresolvedReason?.());
  };

  const readOne = async (): Promise<number> => {
    if (finished) return 0;
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch (error) {
      scanner.stop();
      finish();
      // A read error reaches the caller exactly as it would have without us.
      if (!cancelled) controller.error(error);
      return 0;
    }
    if (cancelled) return 0;
    if (result.done) {
      try {
        scanner.end();
      } catch {
        // scanning is best effort
      }
      finish();
      controller.close();
      return 0;
    }
    try {
      scanner.push(result.value);
    } catch {
      scanner.stop();
    }
    settle();
    controller.enqueue(result.value);
    return result.value.byteLength;
  };

  const next = (): Promise<number> => {
    const read = reading.then(readOne);
    reading = read.then(() => undefined);
    return read;
  };

  if (tracking !== undefined) {
    const { context, inFlight } = tracking;
    settle();
    inFlight.entry.drain = () => {
      if (draining) return;
      draining = true;
      const drainLoop = async (): Promise<void> => {
        while (!finished && !cancelled && !scanner.settled && !isSealed(context)) {
          if (drainedBytes >= MAX_DRAIN_BYTES) {
            inFlight.done('drain_limit');
            return;
          }
          drainedBytes += await next();
        }
      };
      drainLoop().catch(() => inFlight.done());
    };
  }

  const passthrough = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      pull: async () => {
        await next();
      },
      cancel(reason) {
        cancelled = true;
        scanner.stop();
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return sameShape(response, passthrough);
}
