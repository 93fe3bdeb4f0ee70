import type { RunInput } from '../run';

/** One id and where it came from, for error messages. */
export interface IdSource {
  id: string;
  /** `argument 2` or `stdin line 14` */
  origin: string;
}

/**
 * Reads ids from text, one per line. Blank lines are skipped, and so is everything from `#`
 * on (an id never contains `#`), so both comment lines and trailing comments work.
 */
export async function readIdLines(
  input: AsyncIterable<string | Uint8Array>,
  signal?: AbortSignal,
): Promise<IdSource[]> {
  const decoder = new TextDecoder();
  const sources: IdSource[] = [];
  let pending = '';
  let lineNumber = 0;
  const take = (line: string) => {
    lineNumber += 1;
    const id = (line.split('#', 1)[0] ?? '').trim();
    if (id !== '') sources.push({ id, origin: `stdin line ${lineNumber}` });
  };
  for await (const chunk of abortable(input, signal)) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) take(line);
  }
  pending += decoder.decode();
  if (pending !== '') take(pending);
  return sources;
}

/**
 * Iterates `source` until `signal` aborts, then rejects with its reason and lets the source go
 * (a terminal stdin waiting for a line must not keep Ctrl-C from working).
 */
async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined) {
  if (!signal) {
    yield* source;
    return;
  }
  signal.throwIfAborted();
  const iterator = source[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    while (true) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (signal.aborted) {
      // A pending read keeps an async iterator busy, so return() alone would wait for it.
      const stream = source as { destroy?: unknown };
      if (typeof stream.destroy === 'function') stream.destroy();
      iterator.return?.()?.catch(() => {});
    }
  }
}

/** The outcome of gathering ids from arguments and stdin. */
export interface GatheredIds {
  /** every id once, in the order it first appeared */
  ids: string[];
  /** each kept id's first origin */
  sources: IdSource[];
  /** whether stdin was read */
  readStdin: boolean;
}

/**
 * Expands the command's positional ids: `-` reads stdin there; with no id at all, stdin is read
 * when it is not a terminal. Duplicates are dropped (first appearance wins).
 */
export async function gatherIds(
  positionals: readonly string[],
  stdin: RunInput | undefined,
  signal?: AbortSignal,
): Promise<GatheredIds> {
  const all: IdSource[] = [];
  let readStdin = false;
  const implicit = positionals.length === 0 && stdin !== undefined && stdin.isTTY !== true;
  const items = implicit ? ['-'] : positionals;
  for (const [index, item] of items.entries()) {
    if (item === '-') {
      readStdin = true;
      if (stdin) all.push(...(await readIdLines(stdin, signal)));
    } else {
      all.push({ id: item, origin: `argument ${index + 1}` });
    }
  }
  const seen = new Set<string>();
  const sources = all.filter((source) => {
    if (seen.has(source.id)) return false;
    seen.add(source.id);
    return true;
  });
  return { ids: sources.map((source) => source.id), sources, readStdin };
}
