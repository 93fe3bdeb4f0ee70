import {
  type CostExplanation,
  createClient,
  explainCost,
  type Generation,
  type GenerationResult,
  type GenmetaClient,
  isGenmetaError,
} from '@genmeta/core';
import { getGenerationContent } from '@genmeta/core/api';
import { failedAttemptsOf } from '@genmeta/core/engine';
import { MissingKeyError, resolveApiKey } from '../internal/api-key.js';
import { type CommandOptions, UsageError } from '../internal/arguments.js';
import { batchWrites } from '../internal/batched-output.js';
import { drained } from '../internal/drain.js';
import type { CommandIo } from '../internal/execute.js';
import { exitCodeForBatch, stopsBatch } from '../internal/exit-code-of.js';
import { exitCodes } from '../internal/exit-codes.js';
import { jsonText } from '../internal/json-text.js';
import { lookUpInOrder } from '../internal/ordered-lookups.js';
import { createProgress } from '../internal/progress.js';
import { gatherIds } from '../internal/read-ids.js';
import { createScrubber, redacting, type Scrubber } from '../internal/secret-scrubber.js';
import { createStyle, shouldColor } from '../internal/style.js';
import { oneLine, printable } from '../internal/terminal-text.js';
import type { RunOutput } from '../run.js';
import { attemptsOf, explanationJson } from './explanation-json.js';
import { createPricingCache, type PricingOutcome } from './pricing-cache.js';
import { renderExplanationCard, type StoredErrors } from './render-card.js';

/** Results held ahead of a slow lookup, at most (as for `get`). */
const lookaheadWindow = 1024;

/** Runs `genmeta explain` once argv is understood; resolves to the exit code (as `get` does). */
export async function executeExplain(options: CommandOptions, io: CommandIo): Promise<number> {
  let key: string | undefined;
  try {
    key = await resolveApiKey(options.apiKeyFile, io.env, io.cwd, options.baseUrl);
  } catch (error) {
    if (error instanceof MissingKeyError) {
      io.stderr.write(`genmeta: ${error.message}\n`);
      return exitCodes.auth;
    }
    throw error;
  }
  const scrubber = createScrubber(key);
  const stdout = batchWrites(redacting(io.stdout, scrubber.whole));
  try {
    return await explainAll(options, io, key, scrubber, stdout);
  } catch (error) {
    if (error instanceof UsageError)
      throw new UsageError(scrubber.pieces(error.message), error.topic);
    if (io.signal?.aborted) {
      io.stderr.write('genmeta: interrupted\n');
      return exitCodes.interrupted;
    }
    const message = error instanceof Error ? error.message : String(error);
    redacting(io.stderr, scrubber.pieces).write(
      `genmeta: internal error: ${oneLine(scrubber.pieces(message))}\n`,
    );
    return exitCodes.internal;
  } finally {
    stdout.flush();
  }
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

async function explainAll(
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
  if (gathered.ids.length === 0) {
    if (!gathered.readStdin) {
      throw new UsageError(
        'no generation ids: give them as arguments, or "-" to read them from stdin',
        'explain',
      );
    }
    stderr.write('genmeta: no generation ids on stdin\n');
    return exitCodes.ok;
  }
  const client = createClient({
    apiKey: key ?? null,
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    deadlineMs: options.deadlineMs,
    cache: false,
  });
  const pricing = createPricingCache(client, { deadlineMs: options.deadlineMs, signal: io.signal });
  const { ids } = gathered;
  const progress = createProgress(io.stderr, ids.length);
  const failureCounts = new Map<string, number>();
  let resolvedCount = 0;
  let first = true;

  const fail = (id: string, code: string, message: string) => {
    progress.clear();
    stderr.write(
      `${errorStyle.red(printable(id, 300))}: ${code}: ${oneLine(scrubber.pieces(message))}\n`,
    );
    failureCounts.set(code, (failureCounts.get(code) ?? 0) + 1);
  };
  const deliver = async (result: GenerationResult) => {
    if (!result.ok) {
      fail(result.id, result.error.code, result.error.message);
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
    onSettled: (result) => {
      progress.done(result.id);
      // Start the model's price list as soon as a lookup ends, before its turn to print.
      if (result.ok) void pricing.get(result.generation.model).catch(() => {});
    },
    stopsBatch: (result) => !result.ok && stopsBatch(result.error.code),
  });
  progress.clear();
  for (const [model, failure] of pricing.failures()) {
    stderr.write(
      `${errorStyle.red('genmeta:')} pricing of ${printable(model, 200)}: ${failure.code}: ${oneLine(scrubber.pieces(failure.message))}\n`,
    );
    failureCounts.set(failure.code, (failureCounts.get(failure.code) ?? 0) + 1);
  }
  if (io.signal?.aborted) {
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
