import { startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { NetworkError, TimeoutError } from '../src/index.js';
import { clientOf, rejectionOf } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('connections and timeouts', () => {
  it('turns a dropped connection into NetworkError, and retries it', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'drop' }], { repeat: true });
    const error = await rejectionOf(clientOf(fake, { maxRetries: 0 }).getGeneration(created.id));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'network', isRetryable: true, status: undefined });

    fake.script(created.id, [{ type: 'drop' }]);
    await expect(clientOf(fake).getGeneration(created.id)).resolves.toMatchObject({
      id: created.id,
    });
  });

  it('turns a closed server into NetworkError', async () => {
    const closed = await startFakeOpenRouter();
    await closed.close();
    const error = await rejectionOf(clientOf(closed, { maxRetries: 1 }).getGeneration('gen-1'));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(
      /Could not reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/,
    );
  });

  it('times out one attempt after timeoutMs and retries it', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 4_000 }]);
    const generation = await clientOf(fake, { timeoutMs: 500 }).getGeneration(created.id);
    expect(generation.id).toBe(created.id);
    expect(fake.generationCalls().length).toBe(2);

    fake.script(created.id, [{ type: 'slow', delayMs: 4_000 }]);
    const error = await rejectionOf(
      clientOf(fake, { timeoutMs: 500, maxRetries: 0 }).getGeneration(created.id),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/within 500 ms/);
    expect((error as TimeoutError).isRetryable).toBe(true);
  });

  it('stops at the deadline even inside a slow attempt', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 3_000 }]);
    const started = Date.now();
    const error = await rejectionOf(
      clientOf(fake, { timeoutMs: 10_000 }).getGeneration(created.id, { deadlineMs: 200 }),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/200 ms deadline/);
  });
});
