import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFakeOpenRouter } from './fake-openrouter.js';
import type { FakeCall, FakeOpenRouter, FakeOpenRouterOptions } from './types.js';

/** Options of {@link setupFakeOpenRouter}: the fake's own options, plus when to reset it. */
export interface SetupFakeOpenRouterOptions extends FakeOpenRouterOptions {
  /**
   * After each test, forget calls, generations and scripts (`reset({ all: true })`).
   * @default false
   */
  resetAfterEach?: boolean;
}

/** The suite's fake: every {@link FakeOpenRouter} member, plus `generationCalls`. */
export interface SuiteFake extends FakeOpenRouter {
  /** `GET /api/v1/generation` calls received, for one id or all, in order. */
  generationCalls(id?: string): FakeCall[];
}

/**
 * Starts one fake OpenRouter for the calling suite (in `beforeAll`) and closes it in
 * `afterAll`. Call it at the top of a test file or `describe`; use the returned object in
 * tests (its members throw when used before the suite started).
 *
 * @example
 * const fake = setupFakeOpenRouter({ resetAfterEach: true });
 * it('looks a generation up', async () => {
 *   const { id } = fake.addGeneration();
 *   const client = createClient({ baseUrl: fake.url, apiKey: fake.apiKey });
 *   await client.getGeneration(id);
 *   expect(fake.generationCalls(id)).toHaveLength(1);
 * });
 */
export function setupFakeOpenRouter(options: SetupFakeOpenRouterOptions = {}): SuiteFake {
  const { resetAfterEach = false, ...fakeOptions } = options;
  let running: FakeOpenRouter | undefined;
  const current = (): FakeOpenRouter => {
    if (running === undefined) {
      throw new Error('setupFakeOpenRouter: the fake runs only inside the suite’s tests');
    }
    return running;
  };
  beforeAll(async () => {
    running = await startFakeOpenRouter(fakeOptions);
  });
  if (resetAfterEach) afterEach(() => running?.reset({ all: true }));
  afterAll(async () => {
    const closing = running;
    running = undefined;
    await closing?.close();
  });
  return {
    get url() {
      return current().url;
    },
    get origin() {
      return current().origin;
    },
    get port() {
      return current().port;
    },
    get apiKey() {
      return current().apiKey;
    },
    get managementKey() {
      return current().managementKey;
    },
    get calls() {
      return current().calls;
    },
    adjustBilled: (id, amounts) => current().adjustBilled(id, amounts),
    addGeneration: (fields, addOptions) => current().addGeneration(fields, addOptions),
    addPricedGeneration: (spec, addOptions) => current().addPricedGeneration(spec, addOptions),
    endpoints: (model) => current().endpoints(model),
    generation: (id) => current().generation(id),
    script: (id, steps, scriptOptions) => current().script(id, steps, scriptOptions),
    reset: (resetOptions) => current().reset(resetOptions),
    close: () => current().close(),
    generationCalls: (id) =>
      current().calls.filter(
        (call) =>
          call.method === 'GET' &&
          call.path === '/api/v1/generation' &&
          (id === undefined || call.id === id),
      ),
  };
}

/** Options of {@link until}. */
export interface UntilOptions {
  /**
   * Fails after this many ms without the condition holding.
   * @default 5_000
   */
  timeoutMs?: number;
  /**
   * Polling interval in ms.
   * @default 5
   */
  intervalMs?: number;
}

/**
 * Resolves once `condition()` holds (it may be async), polling; rejects after `timeoutMs`
 * naming what was awaited. For conditions that events do not announce, never for timing.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  options: UntilOptions = {},
): Promise<void> {
  const { timeoutMs = 5_000, intervalMs = 5 } = options;
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`until: condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
