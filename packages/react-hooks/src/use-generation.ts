'use client';
import type { Generation } from '@genmeta/core';
import {
  type GenerationSnapshot,
  generationStoreFor,
  IDLE_SNAPSHOT,
  PENDING_SNAPSHOT,
  successSnapshot,
} from '@genmeta/core/store';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { GenerationState } from './generation-state.js';
import { toState } from './internal/to-state.js';
import { useGenmetaClient } from './provider.js';

/** Options of {@link useGeneration}. */
export interface UseGenerationOptions {
  /**
   * false: make no request and keep none alive; the hook still shows what the page already
   * knows about the id (a generation found earlier), otherwise it is `idle`.
   * @default true
   */
  enabled?: boolean;
  /**
   * Deadline of the whole lookup in ms, including waiting out not-ready 404s; then the state
   * becomes an error with code `not_found` (or `timeout`). When several components ask for the
   * same id at once, the first one's deadline applies.
   * @default the client's `deadlineMs` (30 000 for core's default)
   */
  deadlineMs?: number;
  /**
   * A generation already at hand for this id (e.g. fetched on the server). Used only when its
   * `id` equals the hook's id: it renders `success` at once, on the server too, and no request
   * is made (a generation never changes). Other components do not see it.
   * @default undefined
   */
  initialData?: Generation;
}

const noop = () => {};

/**
 * The metadata of one OpenRouter generation (cost, model, provider, tokens, latency), looked up
 * through the app's proxy route. Any number of components asking for one id share one request;
 * a generation found once renders synchronously for the rest of the page's life; a request
 * nobody wants any more (id changed, last component unmounted) is aborted. While OpenRouter
 * answers "not ready yet" the state stays `pending` with `isWaiting: true`.
 *
 * @param id the generation id; `null` or `undefined` gives `idle` and makes no request
 * @example
 * const { status, data, error } = useGeneration(message.generationId);
 * if (status === 'success') return <span>{formatUsd(spendOf(data))}</span>;
 */
export function useGeneration(
  id: string | null | undefined,
  options: UseGenerationOptions = {},
): GenerationState {
  const { enabled = true, deadlineMs, initialData } = options;
  const client = useGenmetaClient();
  const store = generationStoreFor(client);
  const key = id ?? null;
  const initial = key !== null && initialData?.id === key ? initialData : undefined;

  // With initialData there is nothing to fetch: only listen (a lookup elsewhere may finish).
  const want = enabled && !initial;
  const subscribe = useCallback(
    (listener: () => void) =>
      key === null ? noop : store.subscribe(key, listener, { want, deadlineMs }),
    [store, key, want, deadlineMs],
  );

  // The server, and hydration, see only what the markup can know: never the page's cache.
  const getServerSnapshot = (): GenerationSnapshot => {
    if (key === null) return IDLE_SNAPSHOT;
    if (initial) return successSnapshot(initial);
    return enabled ? PENDING_SNAPSHOT : IDLE_SNAPSHOT;
  };
  const getSnapshot = (): GenerationSnapshot => {
    if (key === null) return IDLE_SNAPSHOT;
    const snapshot = store.getSnapshot(key);
    if (snapshot?.status === 'success') return snapshot;
    if (!snapshot || initial) return getServerSnapshot();
    if (!enabled && snapshot.status === 'pending' && !snapshot.isFetching) return IDLE_SNAPSHOT;
    return snapshot;
  };

  const snapshot = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  const refetch = useCallback(
    () => (key === null ? Promise.resolve() : store.refetch(key, deadlineMs)),
    [store, key, deadlineMs],
  );
  return useMemo(() => toState(snapshot, refetch), [snapshot, refetch]);
}
