import { type RequestContext, requestStorage } from '../record/context.js';

/**
 * The same bytes as `body`, pulled one chunk at a time as the host sends them (nothing read
 * ahead, nothing buffered); `onEnd(aborted)` runs once, when the last chunk was taken
 * (`false`) or the body was cancelled or failed (`true`). The source is read inside the
 * request's context, so a stream the handler built can still track ids while it is sent.
 */
export function watchBody(
  body: ReadableStream<Uint8Array>,
  context: RequestContext,
  onEnd: (aborted: boolean) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let ended = false;
  const end = (aborted: boolean): void => {
    if (ended) return;
    ended = true;
    onEnd(aborted);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await requestStorage.run(context, () => reader.read());
        } catch (error) {
          end(true);
          controller.error(error);
          return;
        }
        if (result.done) {
          controller.close();
          end(false);
          return;
        }
        controller.enqueue(result.value);
      },
      cancel(reason) {
        end(true);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
