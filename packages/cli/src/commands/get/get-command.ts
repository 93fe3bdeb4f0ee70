import {
  createClient,
  type GenerationResult,
  type GenmetaClient,
  generationSchema,
} from '@genmeta/core';
import { MissingKeyError, resolveApiKey } from '../../shared/api-key.js';
import { exitCodeForBatch, stopsBatch } from '../../shared/exit-code-of.js';
import { exitCodes } from '../../shared/exit-codes.js';
import type { CommandIo, RunOutput } from '../../shared/io.js';
import { batchWrites } from '../../shared/lookups/batched-output.js';
import { drained } from '../../shared/lookups/drain.js';
import { lookUpInOrder } from '../../shared/lookups/ordered-lookups.js';
import { createProgress } from '../../shared/lookups/progress.js';
import { type GatheredIds, gatherIds } from '../../shared/lookups/read-ids.js';
import { createScrubber, redacting, type Scrubber } from '../../shared/secret-scrubber.js';
import { checkFields } from '../../shared/text/fields.js';
import { UnprintableError } from '../../shared/text/json-text.js';
import { createStyle, shouldColor } from '../../shared/text/style.js';
import { oneLine, printable } from '../../shared/text/terminal-text.js';
import { type CommandOptions, UsageError } from '../arguments.js';
import { writeCostTotals } from '../cost/cost-output.js';
import { createCostTally, type Unresolved } from '../cost/cost-tally.js';
import { createGenerationWriter } from './generation-writer.js';

/** Results held ahead of a slow lookup, at most: bounds memory for any number of ids. */
const lookaheadWindow = 1024;

/** Runs `get` or `cost` once argv is understood; resolves to the exit code. */
export async function executeCommand(options: CommandOptions, io: CommandIo): Promise<number> {
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
    return await printResults(options, io, key, scrubber);
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

async function printResults(
  options: CommandOptions,
  io: CommandIo,
  key: string | undefined,
  scrubber: Scrubber,
): Promise<number> {
  const batched = batchWrites(redacting(io.stdout, scrubber.whole));
  try {
    return await lookUpAndPrint(options, io, key, scrubber, batched);
  } finally {
    batched.flush();
  }
}

async function lookUpAndPrint(
  options: CommandOptions,
  io: CommandIo,
  key: string | undefined,
  scrubber: Scrubber,
  stdout: RunOutput,
): Promise<number> {
  const stderr = redacting(io.stderr, scrubber.pieces);
  const errorStyle = createStyle(shouldColor(io.stderr, io.env, options.color));
  const style = createStyle(shouldColor(io.stdout, io.env, options.color));

  const gathered = await gatherIds(options.sources, io.stdin, io.signal);
  reportSkippedLines(gathered, stderr);
  if (gathered.ids.length === 0) {
    if (!gathered.readStdin) {
      throw new UsageError(
        'no generation ids: give them as arguments, or "-" to read them from stdin',
        options.command,
      );
    }
    if (options.command === 'get') {
      stderr.write('genmeta: no generation ids on stdin\n');
      return exitCodes.ok;
    }
  }

  const client: GenmetaClient = createClient({
    // No key: a proxy route that needs none (resolveApiKey allows it only off OpenRouter).
    apiKey: key ?? null,
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    deadlineMs: options.deadlineMs,
    cache: false,
  });
  const { ids } = gathered;
  const progress = createProgress(io.stderr, ids.length);
  const writer =
    options.command === 'get'
      ? createGenerationWriter(stdout, options, style, ids.length === 1)
      : undefined;
  const tally = options.command === 'cost' ? createCostTally() : undefined;
  const unresolved: Unresolved[] = [];
  const failureCounts = new Map<string, number>();
  let resolvedCount = 0;
  let fieldsChecked = false;

  const fail = (id: string, code: string, message: string) => {
    const line = oneLine(scrubber.pieces(message));
    progress.clear();
    stderr.write(`${errorStyle.red(printable(id, 300))}: ${code}: ${line}\n`);
    failureCounts.set(code, (failureCounts.get(code) ?? 0) + 1);
    if (tally) unresolved.push({ id, code, message: line });
  };
  const deliver = async (result: GenerationResult) => {
    if (!result.ok) {
      fail(result.id, result.error.code, result.error.message);
      return;
    }
    if (options.fields && !fieldsChecked) {
      checkFields(options.fields, result.generation, Object.keys(generationSchema.shape));
      fieldsChecked = true;
    }
    try {
      progress.clear();
      writer?.write(result.generation);
      tally?.add(result.generation);
      resolvedCount += 1;
    } catch (error) {
      if (!(error instanceof UnprintableError)) throw error;
      fail(result.id, 'invalid_response', `the generation cannot be printed: ${error.message}`);
    }
    await drained(io.stdout, io.signal);
  };

  const outcome = await lookUpInOrder(client, ids, {
    concurrency: options.concurrency,
    window: lookaheadWindow,
    signal: io.signal,
    lookup: {
      wait: options.wait,
      deadlineMs: options.deadlineMs,
      onWaiting: (info) => progress.waiting(info.id),
    },
    deliver,
    onSettled: (result) => progress.done(result.id),
    stopsBatch: (result) => !result.ok && stopsBatch(result.error.code),
  });
  progress.clear();
  writer?.end();
  const interrupted = io.signal?.aborted === true;
  if (tally) {
    const totals = {
      summary: tally.summary(),
      unresolved,
      notLookedUp: outcome.notLookedUp,
      interrupted,
    };
    writeCostTotals(stdout, totals, options.format, style);
  }
  if (interrupted) {
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
  if (key === undefined && failureCounts.has('unauthorized')) {
    stderr.write(
      'genmeta: the server wants an API key: set OPENROUTER_API_KEY, or pass --api-key-file PATH\n',
    );
  }
  return exitCodeForBatch(resolvedCount, [...failureCounts.keys()]);
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
