import type { fetchStarted, RequestContext } from './context.js';
import { trackInContext } from './context.js';
import { SseScanner } from './inline-usage.js';

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

/**
 * Hands the caller an identical stream that is scanned for the first chunk's id and any usage
 * as it is read. When the request's response is over before the id was seen (the caller never
 * read the stream), `drain` reads on by itself up to the id, queueing what it read for the
 * caller: the in-flight entry settles at the id, the end, or an error.
 */
export function scanStream(
  response: Response,
  body: ReadableStream<Uint8Array>,
  context: RequestContext,
  headerId: string | undefined,
  inFlight: ReturnType<typeof fetchStarted>,
): Response {
  const scanner = new SseScanner(
    (id) => {
      if (headerId === undefined)
        trackInContext(context, id, undefined, inFlight.entry.requestModel);
    },
    (id, usage) => {
      const target = headerId ?? id;
      if (target !== undefined) trackInContext(context, target, usage);
    },
  );
  // With a header id only the usage is left to learn, which the caller's reading will bring.
  if (headerId !== undefined) inFlight.done();
  const reader = body.getReader();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  let cancelled = false;
  /** reads are chained: the caller's pulls and the drain never read at once */
  let reading: Promise<void> = Promise.resolve();

  const finish = (): void => {
    finished = true;
    inFlight.done();
  };

  const readOne = async (): Promise<void> => {
    if (finished) return;
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch (error) {
      scanner.stop();
      finish();
      // A read error reaches the caller exactly as it would have without us.
      if (!cancelled) controller.error(error);
      return;
    }
    if (cancelled) return;
    if (result.done) {
      try {
        scanner.end();
      } catch {
        // scanning is best effort
      }
      finish();
      controller.close();
      return;
    }
    try {
      scanner.push(result.value);
    } catch {
      scanner.stop();
    }
    if (scanner.seenId) inFlight.done();
    controller.enqueue(result.value);
  };

  const next = (): Promise<void> => {
    reading = reading.then(readOne);
    return reading;
  };

  inFlight.entry.drain = () => {
    const drainLoop = async (): Promise<void> => {
      while (!finished && !scanner.seenId) await next();
    };
    drainLoop().catch(() => inFlight.done());
  };

  const passthrough = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      pull: next,
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
