import { isGenmetaError } from '@genmeta/core';
import { describe, expect, it } from 'vitest';
import { generationQueryOptions } from '../src/index.js';
import { harnessForSuite } from './harness.js';

const harness = harnessForSuite();

/** The error a real lookup against the fake fails with, after the given script. */
async function failureOf(status: number): Promise<unknown> {
  const { id } = harness.fake.addGeneration();
  harness.fake.script(id, [{ type: 'status', status }], { repeat: true });
  const client = harness.client({ maxRetries: 0, deadlineMs: 2_000 });
  return client.getGeneration(id).catch((error: unknown) => error);
}

describe('generationQueryOptions', () => {
  it('has a stable key, an infinite staleTime and a queryFn that looks the id up', async () => {
    const { id, model } = harness.fake.addGeneration();
    const options = generationQueryOptions(id, harness.client());
    expect(options.queryKey).toEqual(['genmeta', 'generation', id]);
    expect(options.staleTime).toBe(Number.POSITIVE_INFINITY);
    const generation = await options.queryFn({ signal: new AbortController().signal });
    expect(generation).toMatchObject({ id, model });
  });

  it("passes the query's signal, so cancelling the query aborts the lookup", async () => {
    const { id } = harness.fake.addGeneration();
    harness.fake.script(id, [{ type: 'slow', delayMs: 3_000 }]);
    const controller = new AbortController();
    const pending = generationQueryOptions(id, harness.client()).queryFn({
      signal: controller.signal,
    });
    const reason = new Error('query cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });

  it('never retries client errors, nor not_found or invalid_response', async () => {
    const { retry } = generationQueryOptions('gen-1', harness.client());
    for (const status of [400, 401, 402, 403]) {
      const error = await failureOf(status);
      expect(isGenmetaError(error)).toBe(true);
      expect(retry(0, error)).toBe(false);
    }
    const { id } = harness.fake.addGeneration();
    harness.fake.script(id, [{ type: 'malformed' }], { repeat: true });
    const invalid = await harness
      .client()
      .getGeneration(id)
      .catch((error: unknown) => error);
    expect(isGenmetaError(invalid) && invalid.code).toBe('invalid_response');
    expect(retry(0, invalid)).toBe(false);
    const notFound = await harness
      .client()
      .getGeneration('gen-unknown', { wait: false })
      .catch((error: unknown) => error);
    expect(isGenmetaError(notFound) && notFound.code).toBe('not_found');
    expect(retry(0, notFound)).toBe(false);
    expect(retry(0, new Error('not ours'))).toBe(false);
  });

  it('retries a transient failure core gave up on once', async () => {
    const { retry } = generationQueryOptions('gen-1', harness.client());
    const error = await failureOf(503);
    expect(isGenmetaError(error) && error.code).toBe('server_error');
    expect(retry(0, error)).toBe(true);
    expect(retry(1, error)).toBe(false);
  });
});
