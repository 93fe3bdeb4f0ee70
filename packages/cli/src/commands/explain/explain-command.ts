import {
  type CostExplanation,
  explainCost,
  type Generation,
  type GenerationResult,
  type GenmetaClient,
  isGenmetaError,
} from '@genmeta/core';
import { getGenerationContent } from '@genmeta/core/api';
import { failedAttemptsOf } from '@genmeta/core/rules';
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
import { jsonText } from '../../shared/text/json-text.js';
import { oneLine, printable } from '../../shared/text/terminal-text.js';
import type { CommandOptions } from '../arguments.js';
import { attemptsOf, explanationJson } from './explanation-json.js';
import { createPricingCache, type PricingOutcome } from './pricing-cache.js';
import { renderExplanationCard, type StoredErrors } from './render-card.js';

/** Runs `genmeta explain` once argv is understood; resolves to the exit code (as `get` does). */
export function executeExplain(options: CommandOptions, io: CommandIo): Promise<number> {
  return runWithKey(options, io, (run) => explainAll(options, io, run));
}

/** When the pricing could not be fetched, the unknown parts say so rather than "not listed". */
function withPricingFailure(
  explanation: CostExplanation,
  pricing: PricingOutcome,
): CostExplanation {
  if (pricing.ok) return explanation;
  const reason = `pricing not available: ${pricing.code}`;
  return {
    ...explanation,
    components: explanation.components.map((component) =>
      component.unknown === undefined ? component : { ...component, unknown: reason },
    ),
  };
}

/** A failed generation, or one that failed over, may have stored errors worth showing. */
function mayHaveStoredErrors(generation: Generation): boolean {
  return generation.finish_reason === 'error' || failedAttemptsOf(generation).count > 0;
}

async function storedErrorsOf(
  client: GenmetaClient,
  generation: Generation,
  options: CommandOptions,
  signal: AbortSignal | undefined,
): Promise<StoredErrors> {
  if (!mayHaveStoredErrors(generation)) return { kind: 'none' };
  try {
    const content = await getGenerationContent(client, generation.id, {
      deadlineMs: options.deadlineMs,
      signal,
    });
    return content.error ? { kind: 'stored', error: content.error } : { kind: 'none' };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: 'unavailable', reason: isGenmetaError(error) ? error.code : 'invalid_response' };
  }
}

async function explainAll(options: CommandOptions, io: CommandIo, run: LookupRun): Promise<number> {
  const { key, scrubber, stdout, stderr, style, errorStyle } = run;
  const gathered = await gatherLookupIds(options, io, stderr);
  if (gathered.ids.length === 0) {
    stderr.write('genmeta: no generation ids on stdin\n');
    return exitCodes.ok;
  }
  const client = lookupClient(options, key);
  const pricing = createPricingCache(client, { deadlineMs: options.deadlineMs, signal: io.signal });
  const { ids } = gathered;
  const progress = createProgress(io.stderr, ids.length);
  const failures = createFailureLog(run, progress);
  let resolvedCount = 0;
  let first = true;

  const deliver = async (result: GenerationResult) => {
    if (!result.ok) {
      failures.fail(result.id, result.error.code, result.error.message);
      return;
    }
    const { generation } = result;
    const [priced, errors] = await Promise.all([
      pricing.get(generation.model),
      options.format === 'json'
        ? Promise.resolve<StoredErrors>({ kind: 'none' })
        : storedErrorsOf(client, generation, options, io.signal),
    ]);
    const explanation = withPricingFailure(
      explainCost(generation, priced.ok ? priced.endpoints : null),
      priced,
    );
    progress.clear();
    if (options.format === 'json') {
      stdout.write(`${jsonText(explanationJson(explanation, generation))}\n`);
    } else {
      stdout.write(
        `${first ? '' : '\n'}${renderExplanationCard(explanation, attemptsOf(generation), errors, style, io.stdout.isTTY ? io.stdout.columns : undefined)}`,
      );
    }
    first = false;
    resolvedCount += 1;
    await drained(io.stdout, io.signal);
  };

  // Start the model's price list as soon as a lookup ends, before its turn to print.
  const outcome = await lookUpIds(client, ids, options, io, progress, deliver, (result) => {
    if (result.ok) void pricing.get(result.generation.model).catch(() => {});
  });
  progress.clear();
  for (const [model, failure] of pricing.failures()) {
    stderr.write(
      `${errorStyle.red('genmeta:')} pricing of ${printable(model, 200)}: ${failure.code}: ${oneLine(scrubber.pieces(failure.message))}\n`,
    );
    failures.count(failure.code);
  }
  return endBatch({ run, ids, outcome, resolvedCount, failures, signal: io.signal });
}
