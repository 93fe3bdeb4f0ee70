import { describe, expect, it } from 'vitest';
import { setupFakeOpenRouter, until } from '../src/vitest.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

const get = (id: string) =>
  fetch(`${fake.url}/generation?id=${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${fake.apiKey}` },
  });

describe('setupFakeOpenRouter', () => {
  it('runs one real fake for the suite and counts generation calls per id', async () => {
    const a = fake.addGeneration();
    const b = fake.addGeneration();
    expect((await get(a.id)).status).toBe(200);
    expect((await get(a.id)).status).toBe(200);
    expect((await get(b.id)).status).toBe(200);
    await fetch(`${fake.url}/models`).catch(() => undefined);
    expect(fake.generationCalls(a.id)).toHaveLength(2);
    expect(fake.generationCalls(b.id)).toHaveLength(1);
    expect(fake.generationCalls()).toHaveLength(3);
    expect(fake.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('resets after each test when asked', () => {
    expect(fake.calls).toHaveLength(0);
    expect(fake.generationCalls()).toHaveLength(0);
  });

  it('serves the same port to every test of the suite', async () => {
    const { id } = fake.addGeneration();
    const response = await get(id);
    expect(response.status).toBe(200);
    expect(new URL(fake.url).port).toBe(String(fake.port));
  });
});

describe('until', () => {
  it('resolves once the condition holds, sync or async', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await until(() => ticks >= 3);
      await until(async () => ticks >= 5);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('rejects naming the condition when it never holds', async () => {
    await expect(until(() => false, { timeoutMs: 20 })).rejects.toThrow(
      /condition not met within 20 ms: \(\) => false/,
    );
  });
});
