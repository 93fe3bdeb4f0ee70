import { type GenerationResult, generationSchema } from '@genmeta/core';
import { exitCodes } from '../../shared/exit-codes.js';
import type { CommandIo } from '../../shared/io.js';
import { drained } from '../../shared/lookups/drain.js';
import {
  createFailureLog,
  endBatch,
  gatherLookupIds,
  type LookupRun,
  lookUpIds,
  lookupClient,
  runWithKey,
} from '../../shared/lookups/lookup-batch.js';
import { createProgress } from '../../shared/lookups/progress.js';
import { checkFields } from '../../shared/text/fields.js';
import { UnprintableError } from '../../shared/text/json-text.js';
import type { CommandOptions } from '../arguments.js';
import { writeCostTotals } from '../cost/cost-output.js';
import { createCostTally, type Unresolved } from '../cost/cost-tally.js';
import { createGenerationWriter } from './generation-writer.js';

/** Runs `get` or `cost` once argv is understood; resolves to the exit code. */
export function executeCommand(options: CommandOptions, io: CommandIo): Promise<number> {
  return runWithKey(options, io, (run) => lookUpAndPrint(options, io, run));
}

async function lookUpAndPrint(
  options: CommandOptions,
  io: CommandIo,
  run: LookupRun,
): Promise<number> {
  const { key, stdout, stderr, style } = run;
  const gathered = await gatherLookupIds(options, io, stderr);
  if (gathered.ids.length === 0 && options.command === 'get') {
    stderr.write('genmeta: no generation ids on stdin\n');
    return exitCodes.ok;
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
  const failures = createFailureLog(run, progress);
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
  return endBatch({ run, ids, outcome, resolvedCount, failures, signal: io.signal });
}
