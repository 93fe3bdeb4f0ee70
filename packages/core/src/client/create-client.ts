import { parseGenerationId } from '../generation-id.js';
import { type AbortSource, abortable } from '../internal/abort.js';
import type { Generation } from '../schemas/generation.js';
import { createKeyReader } from './api-key.js';
import { createAttemptController } from './attempt.js';
import { createBatch } from './batch.js';
import { createFlights } from './flights.js';
import { clientInternals } from './internals.js';
import { createLog } from './log.js';
import { createLookup } from './lookup.js';
import { checkFinishedAt, positiveMs, resolveOptions } from './options.js';
import { createTransport } from './transport.js';
import type { ClientOptions, GenmetaClient, GetGenerationOptions } from './types.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Creates a client for `GET /generation?id=`: typed results, not-ready waiting, retries with
 * backoff, per-attempt timeout and overall deadline, single-flight per id and a cache.
 */
export function createClient(options: ClientOptions = {}): GenmetaClient {
  const resolved = resolveOptions(options);
  const log = createLog(resolved.logger);
  const transport = createTransport(resolved, log);
  const readKey = createKeyReader(resolved.apiKey, resolved.missingKey);
  const lookup = createLookup(resolved, log);
  // The one place that makes "one request per id": lookups and the attempt on the wire.
  const flights = createFlights();

  async function getGeneration(
    id: string,
    lookupOptions: Omit<GetGenerationOptions, 'signal'> & { signal?: AbortSource | undefined } = {},
  ): Promise<Generation> {
    const validId = parseGenerationId(id);
    const { signal, onWaiting } = lookupOptions;
    if (signal?.aborted) throw signal.reason;
    const wait = lookupOptions.wait ?? true;
    const deadlineMs = positiveMs('deadlineMs', lookupOptions.deadlineMs, resolved.deadlineMs);
    const finishedAt = checkFinishedAt(lookupOptions.finishedAt);
    const ticket = flights.join(
      validId,
      wait,
      (notify, send) => {
        const controller = createAttemptController(transport, readKey);
        return {
          promise: lookup(
            { id: validId, deadlineMs, wait, finishedAt, onWaiting: notify, send },
            controller,
          ),
          abort: (reason) => controller.abandon(reason),
        };
      },
      onWaiting,
    );
    try {
      return await abortable(ticket.promise, signal);
    } finally {
      // The last caller leaving (an abort) stops the shared request; others keep it alive.
      ticket.leave(signal?.reason);
    }
  }

  const { baseUrl } = resolved;
  const client = {
    baseUrl,
    getGeneration,
    getGenerations: createBatch(getGeneration, log),
    [inspectSymbol]: () => `GenmetaClient { baseUrl: '${baseUrl}' }`,
  } as GenmetaClient;
  // `@genmeta/core/api` requests reuse the client's key, base URL, fetch, timeouts and logger.
  clientInternals.set(client, { options: resolved, log });
  return client;
}
