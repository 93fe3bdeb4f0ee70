import { setupFakeOpenRouter, until } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client/create-client.js';
import type { GenmetaClient } from '../client/types.js';
import { PENDING_SNAPSHOT } from './generation-snapshots.js';
import { createGenerationStore, generationStoreFor } from './generation-store.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

/** A real client of the fake that also notes the signal of each lookup the store starts. */
function observedClient(): { client: GenmetaClient; signals: AbortSignal[] } {
  const real = createClient({ apiKey: fake.apiKey, baseUrl: fake.url, retryDelayMs: 5 });
  const signals: AbortSignal[] = [];
  return {
    signals,
    client: {
      baseUrl: real.baseUrl,
      getGeneration: (id, options) => {
        if (options?.signal) signals.push(options.signal);
        return real.getGeneration(id, options);
      },
      getGenerations: (ids, options) => real.getGenerations(ids, options),
    },
  };
}

describe('createGenerationStore', () => {
  it('makes one lookup per id for any number of subscribers and keeps what it found', async () => {
    const { client, signals } = observedClient();
    const store = createGenerationStore(client);
    const { id } = fake.addGeneration();
    let heard = 0;
    const leaveA = store.subscribe(id, () => heard++, { want: true, deadlineMs: undefined });
    const leaveB = store.subscribe(id, () => heard++, { want: true, deadlineMs: undefined });
    expect(store.getSnapshot(id)).toMatchObject({ status: 'pending', isFetching: true });
    await until(() => store.getSnapshot(id)?.status === 'success');
    expect(signals).toHaveLength(1);
    expect(fake.generationCalls(id)).toHaveLength(1);
    expect(heard).toBeGreaterThan(0);
    leaveA();
    leaveB();
    await Promise.resolve();
    // Found generations stay for the store's life: a new subscriber sees it without a request.
    store.subscribe(id, () => undefined, { want: true, deadlineMs: undefined });
    expect(store.getSnapshot(id)?.data?.id).toBe(id);
    expect(fake.generationCalls(id)).toHaveLength(1);
  });

  it('aborts the lookup once the last wanting subscriber has left, not before', async () => {
    const { client, signals } = observedClient();
    const store = createGenerationStore(client);
    const { id } = fake.addGeneration({}, { readyInMs: 60_000 });
    const leaveA = store.subscribe(id, () => undefined, { want: true, deadlineMs: undefined });
    const leaveB = store.subscribe(id, () => undefined, { want: true, deadlineMs: undefined });
    await until(() => store.getSnapshot(id)?.isWaiting === true);
    leaveA();
    await Promise.resolve();
    expect(signals[0]?.aborted).toBe(false);
    leaveB();
    await until(() => signals[0]?.aborted === true);
    expect(signals).toHaveLength(1);
  });

  it('keeps the live lookup through a synchronous unsubscribe and resubscribe (React StrictMode)', async () => {
    const { client, signals } = observedClient();
    const store = createGenerationStore(client);
    const { id } = fake.addGeneration({}, { readyInMs: 200 });
    const leave = store.subscribe(id, () => undefined, { want: true, deadlineMs: undefined });
    leave();
    store.subscribe(id, () => undefined, { want: true, deadlineMs: undefined });
    await until(() => store.getSnapshot(id)?.status === 'success');
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
  });

  it('refetches a failed id, and a listener that does not want the id starts nothing', async () => {
    const { client, signals } = observedClient();
    const store = generationStoreFor(client);
    expect(generationStoreFor(client)).toBe(store);
    const { id } = fake.addGeneration();
    store.subscribe(id, () => undefined, { want: false, deadlineMs: undefined });
    expect(store.getSnapshot(id)).toBe(PENDING_SNAPSHOT);
    expect(signals).toHaveLength(0);
    fake.script(id, [{ type: 'status', status: 401 }]);
    store.subscribe(id, () => undefined, { want: true, deadlineMs: undefined });
    await until(() => store.getSnapshot(id)?.status === 'error');
    expect(store.getSnapshot(id)?.error?.code).toBe('unauthorized');
    await store.refetch(id, undefined);
    expect(store.getSnapshot(id)?.status).toBe('success');
    expect(fake.generationCalls(id)).toHaveLength(2);
  });
});
