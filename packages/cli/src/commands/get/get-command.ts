import { type GenerationResult, generationSchema } from '@genmeta/core';
import { exitCodes } from '../../shared/exit-codes.js';
import type { CommandIo, RunOutput } from '../../shared/io.js';
import { drained } from '../../shared/lookups/drain.js';
import {
  createFailureLog,
  endBatch,
  lookUpIds,
  lookupClient,
  runWithKey,
} from '../../shared/lookups/lookup-batch.js';
import { createProgress } from '../../shared/lookups/progress.js';
import { type GatheredIds, gatherIds } from '../../shared/lookups/read-ids.js';
import type { Scrubber } from '../../shared/secret-scrubber.js';
import { redacting } from '../../shared/secret-scrubber.js';
import { checkFields } from '../../shared/text/fields.js';
import { UnprintableError } from '../../shared/text/json-text.js';
import { createStyle, shouldColor } from '../../shared/text/style.js';
import { type CommandOptions, UsageError } from '../arguments.js';
import { writeCostTotals } from '../cost/cost-output.js';
import { createCostTally, type Unresolved } from '../cost/cost-tally.js';
import { createGenerationWriter } from './generation-writer.js';

/** Runs `get` or `cost` once argv is understood; resolves to the exit code. */
export function executeCommand(options: CommandOptions, io: CommandIo): Promise<number> {
  return runWithKey(options, io, (key, scrubber, stdout) =>
    lookUpAndPrint(options, io, key, scrubber, stdout),
  );
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

  const client = lookupClient(options, key);
  const { ids } = gathered;
  const progress = createProgress(io.stderr, ids.length);
  const writer =
    options.command === 'get'
      ? createGenerationWriter(stdout, options, style, ids.length === 1)
      : undefined;
  const tally = options.command === 'cost' ? createCostTally() : undefined;
  const unresolved: Unresolved[] = [];
  const failures = createFailureLog(stderr, errorStyle, scrubber, progress);
  let resolvedCount = 0;
  let fieldsChecked = false;

  const fail = (id: string, code: string, message: string) => {
    const line = failures.fail(id, code, message);
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

  const outcome = await lookUpIds(client, ids, options, io, progress, deliver);
  progress.clear();
  writer?.end();
  if (tally) {
    const totals = {
      summary: tally.summary(),
      unresolved,
      notLookedUp: outcome.notLookedUp,
      interrupted: io.signal?.aborted === true,
    };
    writeCostTotals(stdout, totals, options.format, style);
  }
  return endBatch({
    ids,
    outcome,
    resolvedCount,
    failures,
    key,
    stderr,
    errorStyle,
    signal: io.signal,
  });
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
