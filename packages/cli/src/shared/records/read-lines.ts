/** The longest line a report reads, in bytes; a longer line is skipped and counted. */
export const maxLineBytes = 1024 * 1024;

/** What the line reader hands over: a complete line, or the fact that one was too long. */
export type LineEvent = { kind: 'line'; text: string } | { kind: 'too_long' };

const tooLong: LineEvent = { kind: 'too_long' };
const newline = 0x0a;
const carriageReturn = 0x0d;

function toBuffer(chunk: string | Uint8Array): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}

function decode(buffer: Buffer, start: number, end: number): string {
  const last = end > start && buffer[end - 1] === carriageReturn ? end - 1 : end;
  return buffer.toString('utf8', start, last);
}

/**
 * The one line reader of the CLI (reports, `get -`/`cost -` over stdin).
 * Calls `onLine` for each line of a byte stream (a callback, not an async iterator: a million
 * lines must not cost a million promises). It never holds more than one line (at most
 * `limit` bytes) plus one chunk: a line past the limit is reported once as `too_long` as soon as
 * it passes the limit, then dropped as it streams by (`onLine` may throw there to stop reading). Lines end at `\n` (a `\r` before it is dropped); the last line needs none.
 */
export async function readLines(
  input: AsyncIterable<string | Uint8Array>,
  onLine: (event: LineEvent) => void,
  options: { limit?: number; signal?: AbortSignal | undefined } = {},
): Promise<void> {
  const limit = options.limit ?? maxLineBytes;
  // Bytes of the unfinished line from earlier chunks; empty while skipping an oversized line.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  for await (const chunk of untilAborted(input, options.signal)) {
    const buffer = toBuffer(chunk);
    let start = 0;
    while (start < buffer.length) {
      const end = buffer.indexOf(newline, start);
      if (end === -1) {
        if (!skipping) {
          pendingBytes += buffer.length - start;
          if (pendingBytes > limit) {
            // Said at once, so a reader that stops there (an endless line) reads no further.
            skipping = true;
            pending = [];
            pendingBytes = 0;
            onLine(tooLong);
          } else {
            pending.push(buffer.subarray(start));
          }
        }
        break;
      }
      if (skipping) {
        skipping = false;
      } else if (pendingBytes + end - start > limit) {
        pending = [];
        pendingBytes = 0;
        onLine(tooLong);
      } else if (pendingBytes > 0) {
        pending.push(buffer.subarray(start, end));
        const line = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        onLine({ kind: 'line', text: decode(line, 0, line.length) });
      } else {
        onLine({ kind: 'line', text: decode(buffer, start, end) });
      }
      start = end + 1;
    }
  }
  if (!skipping && pendingBytes > 0) {
    const line = Buffer.concat(pending);
    onLine({ kind: 'line', text: decode(line, 0, line.length) });
  }
}

/**
 * Iterates `source` until `signal` aborts, then rejects with its reason and lets the source go:
 * a pipe that stays open without data (`tail -f log | genmeta report`) must not keep Ctrl-C
 * from working.
 */
async function* untilAborted<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  if (!signal) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  // One listener per read, removed when the read settles: racing every read against one
  // long-lived abort promise would keep every chunk ever read reachable from it.
  const nextOrAbort = () =>
    new Promise<IteratorResult<T>>((resolve, reject) => {
      signal.throwIfAborted();
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      iterator.next().then(
        (result) => {
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  try {
    while (true) {
      const next = await nextOrAbort();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    if (signal.aborted) {
      // A read in flight keeps the iterator busy, so return() alone would wait for it.
      const stream = source as { destroy?: unknown };
      if (typeof stream.destroy === 'function') stream.destroy();
      iterator.return?.()?.catch(() => {});
    }
  }
}
