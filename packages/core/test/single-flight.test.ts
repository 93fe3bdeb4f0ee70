import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { clientOf, rejectionOf, until } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('single-flight', () => {
  it('shares one request among concurrent lookups of one id', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 100 }]);
    const client = clientOf(fake, { cache: false });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => client.getGeneration(created.id)),
    );
    expect(fake.generationCalls().length).toBe(1);
    for (const result of results) expect(result.id).toBe(created.id);
  });

  it('keeps the shared request alive while one waiter remains, aborts it when all have left', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 300 }]);
    const signals: AbortSignal[] = [];
    const client = clientOf(fake, {
      cache: false,
      fetch: (input, init) => {
        if (input instanceof Request) signals.push(input.signal);
        return fetch(input, init);
      },
    });
    const first = new AbortController();
    const leaving = rejectionOf(client.getGeneration(created.id, { signal: first.signal }));
    const staying = client.getGeneration(created.id);
    await until(() => fake.generationCalls().length === 1);
    first.abort(new Error('first left'));
    expect(((await leaving) as Error).message).toBe('first left');
    expect(signals[0]?.aborted).toBe(false);
    await expect(staying).resolves.toMatchObject({ id: created.id });
    expect(fake.generationCalls().length).toBe(1);

    fake.script(created.id, [{ type: 'slow', delayMs: 2_000 }]);
    const a = new AbortController();
    const b = new AbortController();
    const pendingA = rejectionOf(client.getGeneration(created.id, { signal: a.signal }));
    const pendingB = rejectionOf(client.getGeneration(created.id, { signal: b.signal }));
    await until(() => fake.generationCalls().length === 2);
    a.abort();
    await pendingA;
    expect(signals[1]?.aborted).toBe(false);
    b.abort();
    await pendingB;
    await until(() => signals[1]?.aborted === true);
  });

  it('lets a non-waiting lookup join the attempt a waiting lookup of the id has in flight', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 300 }]);
    const client = clientOf(fake, { cache: false });
    const waiting = client.getGeneration(created.id);
    await until(() => fake.generationCalls(created.id).length === 1);
    const polled = client.getGeneration(created.id, { wait: false });
    await expect(polled).resolves.toMatchObject({ id: created.id });
    await expect(waiting).resolves.toMatchObject({ id: created.id });
    expect(fake.generationCalls(created.id).length).toBe(1);
  });

  it('lets a waiting lookup join the attempt a non-waiting lookup of the id has in flight', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 300 }]);
    const client = clientOf(fake, { cache: false });
    const polled = client.getGeneration(created.id, { wait: false });
    await until(() => fake.generationCalls(created.id).length === 1);
    const waiting = client.getGeneration(created.id);
    await expect(waiting).resolves.toMatchObject({ id: created.id });
    await expect(polled).resolves.toMatchObject({ id: created.id });
    expect(fake.generationCalls(created.id).length).toBe(1);
  });

  it('gives a joining non-waiting lookup the not-ready 404 as NotFoundError, while the waiting one waits on', async () => {
    const created = fake.addGeneration({}, { readyInMs: 60_000 });
    fake.script(created.id, [{ type: 'slow', delayMs: 300 }]);
    const client = clientOf(fake, { cache: false, deadlineMs: 30_000 });
    const leaving = new AbortController();
    const waiting = rejectionOf(client.getGeneration(created.id, { signal: leaving.signal }));
    await until(() => fake.generationCalls(created.id).length === 1);
    const polled = await rejectionOf(client.getGeneration(created.id, { wait: false }));
    expect(polled).toMatchObject({ name: 'NotFoundError', status: 404 });
    expect(fake.generationCalls(created.id).length).toBe(1);
    leaving.abort(new Error('done'));
    expect(((await waiting) as Error).message).toBe('done');
  });

  it('sends its own request when the attempt it joined is abandoned', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 2_000 }]);
    const client = clientOf(fake, { cache: false });
    const leaving = new AbortController();
    const waiting = rejectionOf(client.getGeneration(created.id, { signal: leaving.signal }));
    await until(() => fake.generationCalls(created.id).length === 1);
    const polled = client.getGeneration(created.id, { wait: false });
    leaving.abort(new Error('left'));
    expect(((await waiting) as Error).message).toBe('left');
    await expect(polled).resolves.toMatchObject({ id: created.id });
    expect(fake.generationCalls(created.id).length).toBe(2);
  });
});
