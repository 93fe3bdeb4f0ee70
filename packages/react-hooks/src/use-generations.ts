'use client';
import { type Generation, type SpendSummary, summarize } from '@genmeta/core';
import { type GenerationSnapshot, generationStoreFor, PENDING_SNAPSHOT } from '@genmeta/core/store';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { GenerationItemState } from './generation-state.js';
import { toState } from './internal/to-state.js';
import { useGenmetaClient } from './provider.js';

/** What {@link useGenerations} returns. Same object while nothing changed. */
export interface GenerationsState {
  /** One state per requested id, in input order (duplicates included). */
  results: readonly GenerationItemState[];
  /** The generations found so far, in input order, each id once. */
  data: readonly Generation[];
  /**
   * Core's `summarize` over `data`: spend by model and provider, token totals. While some ids
   * are pending or failed it covers only those found (check `isPending` and `errorCount`).
   */
  summary: SpendSummary;
  /** Some id is not found yet (requesting or waiting). */
  isPending: boolean;
  /** Some request is in flight. */
  isFetching: boolean;
  /** How many distinct ids ended in an error. */
  errorCount: number;
  /** Looks up again every id that ended in an error. Never rejects. */
  refetch: () => Promise<void>;
}

/** Options of {@link useGenerations}. */
export interface UseGenerationsOptions {
  /**
   * Deadline of each lookup in ms, including waiting out not-ready 404s.
   * @default the client's `deadlineMs`
   */
  deadlineMs?: number;
}

type BatchState = Omit<GenerationsState, 'refetch'>;

/** A getSnapshot that returns the same object while every id's snapshot is unchanged. */
function selector(
  ids: readonly string[],
  read: (id: string) => GenerationSnapshot,
  refetchOf: (id: string) => () => Promise<void>,
): () => BatchState {
  let previous: { snapshots: readonly GenerationSnapshot[]; state: BatchState } | undefined;
  return () => {
    const snapshots = ids.map(read);
    if (previous?.snapshots.every((snapshot, index) => snapshot === snapshots[index])) {
      return previous.state;
    }
    const state = compose(ids, snapshots, refetchOf);
    previous = { snapshots, state };
    return state;
  };
}

/**
 * The metadata of several generations at once plus their spend summary, e.g. for a
 * conversation's total. Shares requests and cache with {@link useGeneration}: each id is looked
 * up once per page however many hooks ask for it.
 *
 * @param ids generation ids; the hook reacts to their content, so a new array with the same ids
 *   does not restart anything
 * @example
 * const { summary, isPending } = useGenerations(messages.map((m) => m.generationId));
 * return <span>{formatUsd(summary.totalUsd)}{isPending ? '…' : ''}</span>;
 */
export function useGenerations(
  ids: readonly string[],
  options: UseGenerationsOptions = {},
): GenerationsState {
  const { deadlineMs } = options;
  const store = generationStoreFor(useGenmetaClient());
  // Content, not identity: callers usually build the array inline.
  const key = JSON.stringify(ids);
  const stableIds = useMemo(() => JSON.parse(key) as readonly string[], [key]);

  const subscribe = useCallback(
    (listener: () => void) => {
      const unsubscribes = [...new Set(stableIds)].map((id) =>
        store.subscribe(id, listener, { want: true, deadlineMs }),
      );
      return () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
      };
    },
    [store, stableIds, deadlineMs],
  );

  const [getSnapshot, getServerSnapshot] = useMemo(() => {
    // One stable refetch per id, so an item's state changes only with its snapshot.
    const refetches = new Map<string, () => Promise<void>>();
    const refetchOf = (id: string): (() => Promise<void>) => {
      let refetch = refetches.get(id);
      if (!refetch) {
        refetch = () => store.refetch(id, deadlineMs);
        refetches.set(id, refetch);
      }
      return refetch;
    };
    return [
      selector(stableIds, (id) => store.getSnapshot(id) ?? PENDING_SNAPSHOT, refetchOf),
      // The server, and hydration, never see the page's cache.
      selector(stableIds, () => PENDING_SNAPSHOT, refetchOf),
    ];
  }, [store, stableIds, deadlineMs]);

  const state = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  const refetch = useCallback(
    () =>
      Promise.all(
        [...new Set(stableIds)].map((id) =>
          store.getSnapshot(id)?.status === 'error' ? store.refetch(id, deadlineMs) : undefined,
        ),
      ).then(noop),
    [store, stableIds, deadlineMs],
  );
  return useMemo(() => ({ ...state, refetch }), [state, refetch]);
}

const noop = () => {};

function compose(
  ids: readonly string[],
  snapshots: readonly GenerationSnapshot[],
  refetchOf: (id: string) => () => Promise<void>,
): BatchState {
  const results: GenerationItemState[] = [];
  const data: Generation[] = [];
  const seen = new Set<string>();
  let isPending = false;
  let isFetching = false;
  let errorCount = 0;
  ids.forEach((id, index) => {
    const snapshot = snapshots[index] ?? PENDING_SNAPSHOT;
    results.push({ id, ...toState(snapshot, refetchOf(id)) });
    if (seen.has(id)) return;
    seen.add(id);
    if (snapshot.status === 'success') data.push(snapshot.data);
    if (snapshot.status === 'pending') isPending = true;
    if (snapshot.status === 'error') errorCount += 1;
    if (snapshot.isFetching) isFetching = true;
  });
  return { results, data, summary: summarize(data), isPending, isFetching, errorCount };
}
