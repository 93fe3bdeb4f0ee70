import type { CostRecord } from '../types.js';

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
    process.stdout.write(text);
  };
  const sink = (record: CostRecord): void => {
    buffered += `${JSON.stringify(record)}\n`;
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  };
  return { sink, drain };
}
