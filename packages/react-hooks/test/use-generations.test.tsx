// @vitest-environment happy-dom
import { type Generation, summarize } from '@genmeta/core';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useGeneration, useGenerations } from '../src/index.js';
import { harnessForSuite, Probe, withClient } from './harness.js';

const harness = harnessForSuite();
afterEach(() => {
  cleanup();
  harness.fake.reset({ all: true });
  harness.requests.length = 0;
  harness.lookups.length = 0;
});

describe('useGenerations', () => {
  it('gives one state per id and a spend summary of those found', async () => {
    const a = harness.fake.addGeneration({
      model: 'openai/gpt-4o',
      total_cost: 0.002,
      usage: 0.002,
      is_byok: false,
    });
    const b = harness.fake.addGeneration({
      model: 'anthropic/claude',
      total_cost: 0.0001,
      usage: 0.0001,
      is_byok: true,
      upstream_inference_cost: 0.003,
    });
    const failing = harness.fake.addGeneration();
    harness.fake.script(failing.id, [{ type: 'status', status: 403 }], { repeat: true });
    const ids = [a.id, b.id, failing.id, a.id];

    const { result } = renderHook(() => useGenerations(ids), {
      wrapper: withClient(harness.client()),
    });
    expect(result.current.isPending).toBe(true);
    expect(result.current.results.map((item) => item.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    await waitFor(() => expect(result.current.isPending).toBe(false));

    const { results, data, summary, errorCount } = result.current;
    expect(results.map((item) => [item.id, item.status])).toEqual([
      [a.id, 'success'],
      [b.id, 'success'],
      [failing.id, 'error'],
      [a.id, 'success'],
    ]);
    expect(results[2]?.error?.code).toBe('forbidden');
    expect(errorCount).toBe(1);
    expect(data.map((generation) => generation.id)).toEqual([a.id, b.id]);
    expect(summary).toEqual(summarize(data));
    expect(summary.count).toBe(2);
    expect(summary.totalUsd).toBeCloseTo(0.002 + 0.0001 + 0.003, 10);
    // The duplicated id was asked once.
    expect(harness.lookups.map((lookup) => lookup.id).sort()).toEqual(
      [a.id, b.id, failing.id].sort(),
    );
    expect(harness.gets(a.id)).toHaveLength(1);
    expect(harness.gets(failing.id)).toHaveLength(1);
  });

  it('returns the same object while nothing changed, even for a new array of the same ids', async () => {
    const a = harness.fake.addGeneration();
    const b = harness.fake.addGeneration();
    const { result, rerender } = renderHook(({ ids }) => useGenerations(ids), {
      wrapper: withClient(harness.client()),
      initialProps: { ids: [a.id, b.id] },
    });
    await waitFor(() => expect(result.current.data).toHaveLength(2));
    const settled = result.current;
    rerender({ ids: [a.id, b.id] });
    expect(result.current).toBe(settled);
    rerender({ ids: [b.id] });
    expect(result.current).not.toBe(settled);
    expect(result.current.results.map((item) => item.id)).toEqual([b.id]);
    expect(result.current.summary.count).toBe(1);
    expect(harness.gets()).toHaveLength(2);
  });

  it('shares requests and cache with useGeneration', async () => {
    const client = harness.client();
    const a = harness.fake.addGeneration();
    harness.fake.script(a.id, [{ type: 'slow', delayMs: 200 }]);
    render(<Probe id={a.id} />, { wrapper: withClient(client) });
    const { result } = renderHook(() => useGenerations([a.id]), { wrapper: withClient(client) });
    await screen.findByText(new RegExp(`success ${a.id}`));
    await waitFor(() => expect(result.current.data).toHaveLength(1));
    expect(harness.lookups).toHaveLength(1);
    expect(harness.gets(a.id)).toHaveLength(1);
  });

  it('refetch() looks the failed ids up again', async () => {
    const a = harness.fake.addGeneration();
    const b = harness.fake.addGeneration();
    harness.fake.script(b.id, [{ type: 'status', status: 401 }]);
    const { result } = renderHook(() => useGenerations([a.id, b.id]), {
      wrapper: withClient(harness.client()),
    });
    await waitFor(() => expect(result.current.errorCount).toBe(1));
    await act(() => result.current.refetch());
    expect(result.current.errorCount).toBe(0);
    expect(result.current.data.map((generation: Generation) => generation.id)).toEqual([
      a.id,
      b.id,
    ]);
    expect(harness.gets(a.id)).toHaveLength(1);
    expect(harness.gets(b.id)).toHaveLength(2);
  });

  it("gives each item useGeneration's fields, and an item's refetch retries that id alone", async () => {
    const a = harness.fake.addGeneration();
    const b = harness.fake.addGeneration();
    harness.fake.script(b.id, [{ type: 'status', status: 401 }]);
    const client = harness.client();
    const wrapper = withClient(client);
    const { result } = renderHook(() => useGenerations([a.id, b.id]), { wrapper });
    const single = renderHook(() => useGeneration(a.id), { wrapper });
    await waitFor(() => expect(result.current.errorCount).toBe(1));
    const [found, failed] = result.current.results;
    expect(Object.keys(found ?? {}).sort()).toEqual(
      ['id', ...Object.keys(single.result.current)].sort(),
    );
    expect(found).toMatchObject({
      id: a.id,
      status: 'success',
      isPending: false,
      isWaiting: false,
    });
    expect(failed).toMatchObject({ id: b.id, status: 'error', isPending: false });
    expect(failed?.error?.code).toBe('unauthorized');
    await act(() => failed?.refetch());
    expect(result.current.results[1]).toMatchObject({ id: b.id, status: 'success' });
    expect(harness.gets(a.id)).toHaveLength(1);
    expect(harness.gets(b.id)).toHaveLength(2);
  });

  it('is empty and settled for no ids', () => {
    const { result } = renderHook(() => useGenerations([]), {
      wrapper: withClient(harness.client()),
    });
    expect(result.current).toMatchObject({
      results: [],
      data: [],
      isPending: false,
      errorCount: 0,
    });
    expect(result.current.summary.count).toBe(0);
  });
});
