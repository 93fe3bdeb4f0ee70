import type { CostRecord } from '../types.js';
import { afterThisTurn } from './platform.js';

interface Writable {
  write(text: string): unknown;
}

/** `process.stdout` where there is one; else each line goes to `console.log` (workerd, edge). */
function stdout(): Writable | undefined {
  try {
    const stream = (globalThis as { process?: { stdout?: Partial<Writable> } }).process?.stdout;
    return typeof stream?.write === 'function' ? (stream as Writable) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One JSON line per record on stdout. Lines finished in the same turn of the event loop go out
 * in one write; `drain()` writes what is buffered at once.
 */
export function createStdoutSink(): { sink: (record: CostRecord) => void; drain: () => void } {
  let buffered = '';
  let scheduled = false;
  const drain = (): void => {
    scheduled = false;
    if (buffered === '') return;
    const text = buffered;
    buffered = '';
    const stream = stdout();
    if (stream !== undefined) stream.write(text);
    else console.log(text.slice(0, -1));
  };
  const sink = (record: CostRecord): void => {
    buffered += `${JSON.stringify(record)}\n`;
    if (!scheduled) {
      scheduled = true;
      afterThisTurn(drain);
    }
  };
  return { sink, drain };
}
