import { createClient, isGenmetaError } from '@genmeta/core';
import { fake } from './config.js';

/** Made on first use: workerd allows no I/O objects at module scope. */
let client: ReturnType<typeof createClient> | undefined;
const sharedClient = () => {
  client ??= createClient({ baseUrl: fake.url, apiKey: fake.apiKey, retryDelayMs: 20 });
  return client;
};

function describeError(error: unknown) {
  return {
    isGenmetaError: isGenmetaError(error),
    name: error instanceof Error ? error.name : typeof error,
    code: isGenmetaError(error) ? error.code : undefined,
    status: isGenmetaError(error) ? error.status : undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** A generation that is not ready yet: waited out, its cost read. */
async function notReady(id: string) {
  let waits = 0;
  const generation = await sharedClient().getGeneration(id, { onWaiting: () => (waits += 1) });
  return { waits, totalCost: generation.total_cost, id: generation.id };
}

/** An error answer: a typed GenmetaError. */
async function typedError(id: string) {
  try {
    await sharedClient().getGeneration(id);
    return { rejected: false };
  } catch (error) {
    return { rejected: true, ...describeError(error) };
  }
}

/** A lookup aborted while it waits: rejects with the signal's reason. */
async function abort(id: string) {
  const controller = new AbortController();
  const reason = new Error('stopped by the app');
  try {
    await sharedClient().getGeneration(id, {
      signal: controller.signal,
      onWaiting: () => controller.abort(reason),
    });
    return { rejectedWithReason: false };
  } catch (error) {
    return { rejectedWithReason: error === reason };
  }
}

/** The same id twice: the second answer comes from the cache. */
async function cache(id: string) {
  const first = await sharedClient().getGeneration(id);
  const second = await sharedClient().getGeneration(id);
  return { sameCost: first.total_cost === second.total_cost, totalCost: second.total_cost };
}

/**
 * A client and a tracking fetch made with no options: nothing throws where the environment
 * cannot be read, and a lookup without a key fails typed, naming what to pass.
 */
async function environment() {
  const { createTrackingFetch } = await import('@genmeta/node-middleware');
  createTrackingFetch();
  const bare = createClient({ baseUrl: fake.url });
  try {
    await bare.getGeneration('gen-1700000000-abcdefghijklmnopqrst', { wait: false });
    return { rejected: false };
  } catch (error) {
    return { rejected: true, ...describeError(error) };
  }
}

export const coreChecks: Record<string, (id: string) => Promise<unknown>> = {
  'not-ready': notReady,
  'typed-error': typedError,
  abort,
  cache,
  environment,
};
