import type { RunOutput } from '../io.js';

interface Drainable {
  writableNeedDrain?: boolean;
  once?(event: string, listener: () => void): unknown;
  off?(event: string, listener: () => void): unknown;
}

/**
 * Resolves once `output` (a Node stream) has room again, at once for anything else: results
 * are not produced faster than the reader takes them, so memory stays bounded.
 */
export function drained(output: RunOutput, signal: AbortSignal | undefined): Promise<void> {
  const stream = output as RunOutput & Drainable;
  if (stream.writableNeedDrain !== true || typeof stream.once !== 'function') {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'error']) stream.off?.(event, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) stream.once?.(event, done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
