// @vitest-environment happy-dom
import { type Generation, type GenmetaClient, isGenmetaError } from '@genmeta/core';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { GenmetaProvider, useGeneration } from '../src/index.js';
import { harnessForSuite, Probe, type Render, sleep, withClient } from './harness.js';

const harness = harnessForSuite();
afterEach(() => {
  cleanup();
  harness.fake.reset({ all: true });
  harness.requests.length = 0;
  harness.lookups.length = 0;
});

describe('useGeneration', () => {
  it('is idle for a null or undefined id and makes no request', async () => {
    const client = harness.client();
    const renders: Render[] = [];
    const view = render(
      <GenmetaProvider client={client}>
        <Probe id={null} renders={renders} />
        <Probe id={undefined} renders={renders} />
      </GenmetaProvider>,
    );
    await sleep(100);
    expect(renders.length).toBeGreaterThan(0);
    for (const { state } of renders) {
      expect(state).toMatchObject({
        status: 'idle',
        data: undefined,
        error: undefined,
        isPending: false,
        isWaiting: false,
        isFetching: false,
      });
    }
    expect(harness.gets()).toHaveLength(0);
    // Giving it an id starts the lookup.
    const { id } = harness.fake.addGeneration();
    view.rerender(
      <GenmetaProvider client={client}>
        <Probe id={id} renders={renders} />
      </GenmetaProvider>,
    );
    await screen.findByText(new RegExp(`success ${id}`));
    expect(harness.gets(id)).toHaveLength(1);
  });

  it('stays pending with isWaiting while the generation is not ready, then succeeds', async () => {
    const { id, model } = harness.fake.addGeneration({}, { readyInMs: 700 });
    const renders: Render[] = [];
    render(<Probe id={id} renders={renders} />, { wrapper: withClient(harness.client()) });
    await screen.findByText(`success ${id} ${model}`, undefined, { timeout: 10_000 });
    expect(renders[0]?.state).toMatchObject({
      status: 'pending',
      isPending: true,
      data: undefined,
    });
    const waiting = renders.filter(({ state }) => state.isWaiting);
    expect(waiting.length).toBeGreaterThan(0);
    for (const { state } of waiting)
      expect(state).toMatchObject({ status: 'pending', isFetching: true });
    expect(renders.at(-1)?.state).toMatchObject({
      status: 'success',
      isWaiting: false,
      isPending: false,
    });
    expect(harness.gets(id).length).toBeGreaterThan(1);
    expect(harness.gets(id).filter((call) => call.status === 404).length).toBeGreaterThan(0);
  });

  it('ends in a not_found error when the generation is not ready by the deadline', async () => {
    const { id } = harness.fake.addGeneration({}, { readyInMs: 60_000 });
    const renders: Render[] = [];
    render(<Probe id={id} options={{ deadlineMs: 1_500 }} renders={renders} />, {
      wrapper: withClient(harness.client()),
    });
    await screen.findByText('error not_found', undefined, { timeout: 10_000 });
    expect(renders.some(({ state }) => state.status === 'pending' && state.isWaiting)).toBe(true);
    const last = renders.at(-1)?.state;
    expect(last?.status).toBe('error');
    expect(isGenmetaError(last?.error)).toBe(true);
    expect(last?.error?.code).toBe('not_found');
    expect(last?.isWaiting).toBe(false);
  });

  it('makes one request for any number of components asking for one id', async () => {
    harness.fake.script('*', [{ type: 'slow', delayMs: 200 }], { repeat: true });
    const { id } = harness.fake.addGeneration();
    const ids = Array.from({ length: 6 }, () => id);
    render(
      <div>
        {ids.map((each, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same id repeated on purpose
          <Probe key={index} id={each} />
        ))}
      </div>,
      { wrapper: withClient(harness.client()) },
    );
    await waitFor(() => expect(screen.getAllByText(new RegExp(`success ${id}`))).toHaveLength(6));
    expect(harness.lookups).toHaveLength(1);
    expect(harness.gets(id)).toHaveLength(1);
  });

  it('renders a generation found once synchronously on the next mount, with no request', async () => {
    const { id } = harness.fake.addGeneration();
    const client = harness.client();
    const first = render(<Probe id={id} />, { wrapper: withClient(client) });
    await screen.findByText(new RegExp(`success ${id}`));
    first.unmount();
    await sleep(20);

    const renders: Render[] = [];
    render(<Probe id={id} renders={renders} />, { wrapper: withClient(client) });
    expect(renders[0]?.state.status).toBe('success');
    expect(renders[0]?.state.data?.id).toBe(id);
    expect(renders.every(({ state }) => state.status === 'success')).toBe(true);
    await sleep(50);
    expect(harness.gets(id)).toHaveLength(1);
  });

  it('never shows the old id data for a new id', async () => {
    const client = harness.client();
    const a = harness.fake.addGeneration({ model: 'model/a' });
    const b = harness.fake.addGeneration({ model: 'model/b' });
    harness.fake.script(b.id, [{ type: 'slow', delayMs: 300 }]);
    const renders: Render[] = [];
    const view = render(<Probe id={a.id} renders={renders} />, { wrapper: withClient(client) });
    await screen.findByText(new RegExp(`success ${a.id}`));
    view.rerender(<Probe id={b.id} renders={renders} />);
    await screen.findByText(new RegExp(`success ${b.id}`));
    view.rerender(<Probe id={a.id} renders={renders} />);
    await screen.findByText(new RegExp(`success ${a.id}`));
    view.rerender(<Probe id={null} renders={renders} />);
    await screen.findByText('idle');

    expect(renders.length).toBeGreaterThan(4);
    for (const { id, state } of renders) {
      if (state.data) expect(state.data.id).toBe(id);
      if (id === null) expect(state.status).toBe('idle');
    }
    expect(renders.some(({ id, state }) => id === b.id && state.status === 'pending')).toBe(true);
  });

  it('aborts the old request when the id changes and nobody else wants it', async () => {
    const client = harness.client();
    const a = harness.fake.addGeneration();
    const b = harness.fake.addGeneration();
    harness.fake.script(a.id, [{ type: 'slow', delayMs: 5_000 }]);
    const view = render(<Probe id={a.id} />, { wrapper: withClient(client) });
    await waitFor(() => expect(harness.gets(a.id)).toHaveLength(1));
    const requestA = harness.requests.find((request) => request.id === a.id);
    expect(requestA?.signal?.aborted).toBe(false);

    view.rerender(<Probe id={b.id} />);
    await screen.findByText(new RegExp(`success ${b.id}`));
    await waitFor(() => expect(requestA?.signal?.aborted).toBe(true));
  });

  it('keeps the old request when another component still wants it', async () => {
    const client = harness.client();
    const a = harness.fake.addGeneration();
    const b = harness.fake.addGeneration();
    harness.fake.script(a.id, [{ type: 'slow', delayMs: 400 }]);
    const view = render(
      <>
        <Probe id={a.id} />
        <Probe id={a.id} />
      </>,
      { wrapper: withClient(client) },
    );
    await waitFor(() => expect(harness.gets(a.id)).toHaveLength(1));
    view.rerender(
      <>
        <Probe id={b.id} />
        <Probe id={a.id} />
      </>,
    );
    await screen.findByText(new RegExp(`success ${b.id}`));
    await screen.findByText(new RegExp(`success ${a.id}`));
    const requestA = harness.requests.find((request) => request.id === a.id);
    expect(requestA?.signal?.aborted).toBe(false);
    expect(harness.gets(a.id)).toHaveLength(1);
  });

  it('aborts the request when the last component using the id unmounts', async () => {
    const client = harness.client();
    const { id } = harness.fake.addGeneration();
    harness.fake.script(id, [{ type: 'slow', delayMs: 5_000 }]);
    const first = render(<Probe id={id} />, { wrapper: withClient(client) });
    const second = render(<Probe id={id} />, { wrapper: withClient(client) });
    await waitFor(() => expect(harness.gets(id)).toHaveLength(1));
    const request = harness.requests.find((seen) => seen.id === id);

    first.unmount();
    await sleep(50);
    expect(request?.signal?.aborted).toBe(false);
    second.unmount();
    await waitFor(() => expect(request?.signal?.aborted).toBe(true));

    // A later mount starts afresh and succeeds.
    render(<Probe id={id} />, { wrapper: withClient(client) });
    await screen.findByText(new RegExp(`success ${id}`));
    expect(harness.gets(id)).toHaveLength(2);
  });

  it.each([
    [400, 'invalid_id'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
  ] as const)('reports a %i as a typed %s error after one request', async (status, code) => {
    const { id } = harness.fake.addGeneration();
    harness.fake.script(id, [{ type: 'status', status }], { repeat: true });
    const { result } = renderHook(() => useGeneration(id), {
      wrapper: withClient(harness.client()),
    });
    await waitFor(() => expect(result.current.status).toBe('error'));
    const { error } = result.current;
    expect(isGenmetaError(error)).toBe(true);
    expect(error?.code).toBe(code);
    expect(error?.status).toBe(status);
    await sleep(200);
    expect(harness.gets(id)).toHaveLength(1);
  });

  it('reports a malformed id as invalid_id without any request', async () => {
    const { result } = renderHook(() => useGeneration('not an id'), {
      wrapper: withClient(harness.client()),
    });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error?.code).toBe('invalid_id');
    expect(harness.gets()).toHaveLength(0);
  });

  it('leaves transient failures to core, which retries them', async () => {
    const { id } = harness.fake.addGeneration();
    harness.fake.script(id, [{ type: 'status', status: 503 }]);
    const { result } = renderHook(() => useGeneration(id), {
      wrapper: withClient(harness.client()),
    });
    await waitFor(() => expect(result.current.status).toBe('success'), { timeout: 10_000 });
    expect(harness.gets(id)).toHaveLength(2);
  });

  it('types a failure of a custom client that is not a GenmetaError', async () => {
    const failing: GenmetaClient = {
      baseUrl: 'http://127.0.0.1:9/api/genmeta',
      getGeneration: () => Promise.reject(new TypeError('boom')),
      getGenerations: () => Promise.reject(new TypeError('boom')),
    };
    const throwing: GenmetaClient = {
      ...failing,
      getGeneration: () => {
        throw new TypeError('sync boom');
      },
    };
    for (const client of [failing, throwing]) {
      const { result, unmount } = renderHook(() => useGeneration('gen-custom'), {
        wrapper: withClient(client),
      });
      await waitFor(() => expect(result.current.status).toBe('error'));
      expect(isGenmetaError(result.current.error)).toBe(true);
      expect(result.current.error?.code).toBe('network');
      expect(result.current.error?.generationId).toBe('gen-custom');
      expect(result.current.error?.message).toContain('boom');
      unmount();
    }
  });

  it('tries again on refetch()', async () => {
    const { id } = harness.fake.addGeneration();
    harness.fake.script(id, [{ type: 'status', status: 403 }]);
    const { result } = renderHook(() => useGeneration(id), {
      wrapper: withClient(harness.client()),
    });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error?.code).toBe('forbidden');

    let refetched: Promise<void> | undefined;
    act(() => {
      refetched = result.current.refetch();
    });
    expect(result.current.status).toBe('pending');
    await act(() => refetched);
    expect(result.current.status).toBe('success');
    expect(result.current.data?.id).toBe(id);
    expect(harness.gets(id)).toHaveLength(2);
    // Found: nothing left to fetch.
    await act(() => result.current.refetch());
    expect(harness.gets(id)).toHaveLength(2);
  });

  it('makes one request under StrictMode and keeps it alive', async () => {
    const { id } = harness.fake.addGeneration();
    harness.fake.script(id, [{ type: 'slow', delayMs: 200 }]);
    const client = harness.client();
    render(
      <StrictMode>
        <GenmetaProvider client={client}>
          <Probe id={id} />
          <Probe id={id} />
        </GenmetaProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getAllByText(new RegExp(`success ${id}`))).toHaveLength(2));
    // One lookup started by the store, never aborted by the simulated unmount.
    expect(harness.lookups).toHaveLength(1);
    expect(harness.lookups[0]?.signal?.aborted).toBe(false);
    expect(harness.gets(id)).toHaveLength(1);
    expect(harness.requests.filter((request) => request.id === id)).toHaveLength(1);
    expect(harness.requests[0]?.signal?.aborted).toBe(false);
  });

  it('with enabled: false makes no request but shows what the page already found', async () => {
    const client = harness.client();
    const known = harness.fake.addGeneration();
    const unknown = harness.fake.addGeneration();
    render(<Probe id={known.id} />, { wrapper: withClient(client) });
    await screen.findByText(new RegExp(`success ${known.id}`));
    cleanup();

    const { result, rerender } = renderHook(({ id, enabled }) => useGeneration(id, { enabled }), {
      wrapper: withClient(client),
      initialProps: { id: unknown.id, enabled: false },
    });
    await sleep(100);
    expect(result.current.status).toBe('idle');
    expect(harness.gets(unknown.id)).toHaveLength(0);

    rerender({ id: known.id, enabled: false });
    expect(result.current.status).toBe('success');
    expect(result.current.data?.id).toBe(known.id);
    expect(harness.gets(known.id)).toHaveLength(1);

    rerender({ id: unknown.id, enabled: true });
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.data?.id).toBe(unknown.id);
  });

  it('renders initialData for its own id at once, and never for another id', async () => {
    const client = harness.client();
    const a = harness.fake.addGeneration();
    const b = harness.fake.addGeneration();
    const initialData = { ...a, model: 'from/server' } as Generation;
    const renders: Render[] = [];
    const view = render(<Probe id={a.id} options={{ initialData }} renders={renders} />, {
      wrapper: withClient(client),
    });
    expect(renders[0]?.state.status).toBe('success');
    expect(renders[0]?.state.data?.model).toBe('from/server');
    view.rerender(<Probe id={b.id} options={{ initialData }} renders={renders} />);
    await screen.findByText(new RegExp(`success ${b.id}`));
    for (const { id, state } of renders) if (state.data) expect(state.data.id).toBe(id);
    expect(harness.gets(a.id)).toHaveLength(0);
  });
});
