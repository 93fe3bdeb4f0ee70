import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openFile, readRecords } from '../../shared/records/read-records.js';
import type { ReportAggregator } from './aggregate.js';
import type { AggregateState } from './aggregate-state.js';
import type { Dimension } from './arguments.js';

/** What a worker reads: the lines of `file` that start in [start, end). */
export interface PartOfFile {
  file: string;
  start: number;
  end: number;
  dimensions: readonly Dimension[];
  top: number;
}

/** Below this size a file is read on the main thread alone (a worker costs ~30 ms to start). */
export const minBytesPerPart = 32 * 1024 * 1024;
const maxParts = 4;
const youngGenerationMb = 8;
const newline = 0x0a;

/** The built worker, next to the bundle (absent when running from source: then no workers). */
const workerFile = fileURLToPath(new URL('./report-worker.js', import.meta.url));

/** The offset just after the first newline at or after `from`, or the file's size. */
async function lineStartAfter(path: string, from: number, size: number): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let position = from;
    while (position < size) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      const index = buffer.subarray(0, bytesRead).indexOf(newline);
      if (index !== -1) return position + index + 1;
      position += bytesRead;
    }
    return size;
  } finally {
    await handle.close();
  }
}

/** Splits a file into ranges of whole lines, one per part. */
async function splitFile(path: string, size: number, parts: number): Promise<[number, number][]> {
  const bounds = [0];
  for (let part = 1; part < parts; part += 1) {
    bounds.push(await lineStartAfter(path, Math.floor((size * part) / parts), size));
  }
  bounds.push(size);
  const ranges: [number, number][] = [];
  for (let index = 0; index + 1 < bounds.length; index += 1) {
    const start = bounds[index] ?? 0;
    const end = bounds[index + 1] ?? size;
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}

function runWorker(part: PartOfFile, signal: AbortSignal | undefined): Promise<AggregateState> {
  return new Promise((resolve, reject) => {
    // A small young generation keeps the extra thread's memory near the main thread's.
    const worker = new Worker(workerFile, {
      workerData: part,
      resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb },
    });
    const onAbort = () => void worker.terminate();
    signal?.addEventListener('abort', onAbort, { once: true });
    let state: AggregateState | undefined;
    worker.once('message', (message: AggregateState) => {
      state = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(signal.reason);
      else if (state) resolve(state);
      else reject(new Error(`a report worker stopped with code ${code}`));
    });
  });
}

/**
 * Reads a file into `aggregator`. A large file on a machine with several cores is split into
 * ranges of whole lines: worker threads read all but the first, the main thread the first, and
 * their sums are merged (JSON parsing is the cost, and it spreads over cores).
 */
export async function readFileRecords(
  path: string,
  aggregator: ReportAggregator,
  options: { dimensions: readonly Dimension[]; top: number; signal?: AbortSignal | undefined },
): Promise<void> {
  const { size } = await stat(path);
  const parts = Math.min(availableParallelism(), maxParts, Math.floor(size / minBytesPerPart));
  const ranges = parts > 1 && existsSync(workerFile) ? await splitFile(path, size, parts) : [];
  const [first, ...rest] = ranges;
  if (first === undefined) {
    await readRecords(openFile(path), aggregator, options.signal);
    return;
  }
  const workers = rest.map(([start, end]) =>
    runWorker(
      { file: path, start, end, dimensions: options.dimensions, top: options.top },
      options.signal,
    ),
  );
  // Settle every worker even when one fails, so none is left running.
  const own = readRecords(
    openFile(path, { start: first[0], end: first[1] }),
    aggregator,
    options.signal,
  );
  const results = await Promise.allSettled([own, ...workers]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  for (const result of results.slice(1)) {
    if (result.status === 'fulfilled' && result.value) aggregator.merge(result.value);
  }
}
