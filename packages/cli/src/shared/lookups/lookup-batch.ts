import { createClient, type GenerationResult, type GenmetaClient } from '@genmeta/core';
import { MissingKeyError, resolveApiKey } from '../api-key.js';
import type { CommandName } from '../command-names.js';
import { exitCodeForBatch, stopsBatch } from '../exit-code-of.js';
import { exitCodes } from '../exit-codes.js';
import type { CommandIo, RunOutput } from '../io.js';
import { createScrubber, redacting, type Scrubber } from '../secret-scrubber.js';
import { createStyle, type Style, shouldColor } from '../text/style.js';
import { oneLine, printable } from '../text/terminal-text.js';
import { UsageError } from '../usage-errors.js';
import { batchWrites } from './batched-output.js';
import { lookUpInOrder, type OrderedLookupOutcome } from './ordered-lookups.js';
import type { Progress } from './progress.js';
import { type GatheredIds, gatherIds } from './read-ids.js';

// What the commands that look ids up (`get`, `cost`, `explain`) share around their own printing:
// the key and its scrubbing, the client, the ordered lookups, the failure lines and the batch's
// last words. Each command keeps only what it prints for a generation.

/** The options of a lookup command this module reads. */
export interface LookupCommandOptions {
  command: CommandName;
  sources: readonly string[];
  color: boolean;
  apiKeyFile: string | undefined;
  baseUrl: string | undefined;
  deadlineMs: number;
  concurrency: number;
  wait: boolean;
}

/** Results held ahead of a slow lookup, at most: bounds memory for any number of ids. */
const lookaheadWindow = 1024;

/** What a lookup command prints through, once its key is known. */
export interface LookupRun {
  key: string | undefined;
  scrubber: Scrubber;
  /** batched, never printing the key */
  stdout: RunOutput;
  /** never printing any piece of the key */
  stderr: RunOutput;
  /** colours for stdout, and for stderr (each as its own terminal allows) */
  style: Style;
  errorStyle: Style;
}

/**
 * Resolves the API key, then runs `lookUp` with a scrubber for it, a batched stdout that never
 * prints the key and a scrubbed stderr; resolves to the exit code. A missing key is exit code
 * `auth`; an abort `interrupted`; a usage error is rethrown scrubbed; anything else is an
 * internal error whose message (scrubbed) goes to stderr.
 */
export async function runWithKey(
  options: LookupCommandOptions,
  io: CommandIo,
  lookUp: (run: LookupRun) => Promise<number>,
): Promise<number> {
  let key: string | undefined;
  try {
    key = await resolveApiKey(
      options.apiKeyFile,
      io.env,
      io.cwd,
      options.baseUrl,
      options.deadlineMs,
    );
  } catch (error) {
    if (error instanceof MissingKeyError) {
      io.stderr.write(`genmeta: ${error.message}\n`);
      return exitCodes.auth;
    }
    throw error;
  }
  const scrubber = createScrubber(key);
  const stderr = redacting(io.stderr, scrubber.pieces);
  try {
    const stdout = batchWrites(redacting(io.stdout, scrubber.whole));
    try {
      return await lookUp({
        key,
        scrubber,
        stdout,
        stderr,
        style: createStyle(shouldColor(io.stdout, io.env, options.color)),
        errorStyle: createStyle(shouldColor(io.stderr, io.env, options.color)),
      });
    } finally {
      stdout.flush();
    }
  } catch (error) {
    // Nothing below prints a raw message: whatever it says is scrubbed of every piece of the key.
    if (error instanceof UsageError) {
      throw new UsageError(scrubber.pieces(error.message), error.topic);
    }
    if (io.signal?.aborted) {
      stderr.write('genmeta: interrupted\n');
      return exitCodes.interrupted;
    }
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`genmeta: internal error: ${oneLine(scrubber.pieces(message))}\n`);
    return exitCodes.internal;
  }
}

/**
 * The ids to look up (see `gatherIds`), with stdin lines and record values that were skipped
 * reported on stderr. No id at all and no stdin read is a {@link UsageError}.
 */
export async function gatherLookupIds(
  options: LookupCommandOptions,
  io: CommandIo,
  stderr: RunOutput,
): Promise<GatheredIds> {
  const gathered = await gatherIds(options.sources, io.stdin, io.signal);
  reportSkippedLines(gathered, stderr);
  if (gathered.ids.length === 0 && !gathered.readStdin) {
    throw new UsageError(
      'no generation ids: give them as arguments, or "-" to read them from stdin',
      options.command,
    );
  }
  return gathered;
}

function reportSkippedLines(gathered: GatheredIds, stderr: RunOutput): void {
  const { count, first } = gathered.skippedLines;
  if (count > 0) {
    stderr.write(
      `genmeta: skipped ${count} stdin line${count > 1 ? 's' : ''} that ${count > 1 ? 'are' : 'is'} JSON but not a cost record (first: line ${first})\n`,
    );
  }
  const ids = gathered.skippedIds;
  if (ids.count > 0) {
    stderr.write(
      `genmeta: skipped ${ids.count} value${ids.count > 1 ? 's' : ''} in cost records' generationIds that ${ids.count > 1 ? 'are' : 'is'} not a generation id (first: line ${ids.first})\n`,
    );
  }
}

/** The client a lookup command asks through (no cache: each id is asked once anyway). */
export function lookupClient(
  options: LookupCommandOptions,
  key: string | undefined,
): GenmetaClient {
  return createClient({
    // No key: a proxy route that needs none (resolveApiKey allows it only off OpenRouter).
    apiKey: key ?? null,
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    deadlineMs: options.deadlineMs,
    cache: false,
  });
}

/** A batch's failures: each written to stderr as one line, and counted by code. */
export interface FailureLog {
  /** writes `<id>: <code>: <message>` (scrubbed, on one line) and counts it; returns that message */
  fail(id: string, code: string, message: string): string;
  /** counts a failure written elsewhere */
  count(code: string): void;
  readonly counts: ReadonlyMap<string, number>;
}

/** A {@link FailureLog} writing to `stderr`, clearing the progress line first. */
export function createFailureLog(
  { stderr, errorStyle, scrubber }: LookupRun,
  progress: Progress,
): FailureLog {
  const counts = new Map<string, number>();
  const count = (code: string) => counts.set(code, (counts.get(code) ?? 0) + 1);
  return {
    fail(id, code, message) {
      const line = oneLine(scrubber.pieces(message));
      progress.clear();
      stderr.write(`${errorStyle.red(printable(id, 300))}: ${code}: ${line}\n`);
      count(code);
      return line;
    },
    count,
    counts,
  };
}

/**
 * Looks `ids` up in input order (see `lookUpInOrder`), with the command's concurrency, waiting
 * and deadline, progress on stderr, and a refused key stopping the batch.
 */
export function lookUpIds(
  client: GenmetaClient,
  ids: readonly string[],
  options: LookupCommandOptions,
  io: CommandIo,
  progress: Progress,
  deliver: (result: GenerationResult) => Promise<void>,
  onSettled?: (result: GenerationResult) => void,
): Promise<OrderedLookupOutcome> {
  return lookUpInOrder(client, ids, {
    concurrency: options.concurrency,
    window: lookaheadWindow,
    signal: io.signal,
    lookup: {
      wait: options.wait,
      deadlineMs: options.deadlineMs,
      onWaiting: (info) => progress.waiting(info.id),
    },
    deliver,
    onSettled: (result) => {
      progress.done(result.id);
      onSettled?.(result);
    },
    stopsBatch: (result) => !result.ok && stopsBatch(result.error.code),
  });
}

/** How a batch went, for {@link endBatch}. */
export interface BatchEnd {
  run: LookupRun;
  ids: readonly string[];
  outcome: OrderedLookupOutcome;
  resolvedCount: number;
  failures: FailureLog;
  signal: AbortSignal | undefined;
}

/**
 * The batch's last words on stderr (interrupted, stopped by a failure, a server wanting a key)
 * and its exit code.
 */
export function endBatch(end: BatchEnd): number {
  const { ids, outcome } = end;
  const { stderr, errorStyle } = end.run;
  if (end.signal?.aborted) {
    stderr.write(
      `genmeta: interrupted: ${outcome.notLookedUp} of ${ids.length} ids not looked up\n`,
    );
    return exitCodes.interrupted;
  }
  if (outcome.stoppedBy && outcome.notLookedUp > 0) {
    const code = outcome.stoppedBy.ok ? '' : outcome.stoppedBy.error.code;
    stderr.write(
      `${errorStyle.red('genmeta:')} ${code} stops the batch: ${outcome.notLookedUp} of ${ids.length} ids not looked up\n`,
    );
  }
  if (end.run.key === undefined && end.failures.counts.has('unauthorized')) {
    stderr.write(
      'genmeta: the server wants an API key: set OPENROUTER_API_KEY, or pass --api-key-file PATH\n',
    );
  }
  return exitCodeForBatch(end.resolvedCount, [...end.failures.counts.keys()]);
}
