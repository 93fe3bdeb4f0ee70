import type { RunOutput } from '../io.js';

/** {@link RunOutput} that passes writes on together; see {@link batchWrites}. */
export interface BatchedOutput extends RunOutput {
  /** writes what is gathered now */
  flush(): void;
}

/** Gathered text is passed on at this size at the latest. */
const flushAtLength = 64 * 1024;

/**
 * Gathers the writes of one event-loop turn (up to 64 kB) into one write: a line per result
 * would otherwise cost one system call each. Output still appears as results resolve.
 */
export function batchWrites(output: RunOutput): BatchedOutput {
  let chunks: string[] = [];
  let length = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (chunks.length === 0) return;
    const text = chunks.length === 1 ? (chunks[0] as string) : chunks.join('');
    chunks = [];
    length = 0;
    output.write(text);
  };
  return {
    isTTY: output.isTTY,
    columns: output.columns,
    write(chunk: string) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= flushAtLength) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return true;
    },
    flush,
  };
}
