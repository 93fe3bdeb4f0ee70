import type { Generation, GenmetaClient, GenmetaError, SpendSummary } from '@genmeta/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type GenerationItemState,
  type GenerationState,
  type GenerationsState,
  generationQueryOptions,
  useGeneration,
  useGenerations,
} from './index.js';

declare const state: GenerationState;

describe('GenerationState', () => {
  it('is what useGeneration returns, for any id shape', () => {
    expectTypeOf(useGeneration).parameter(0).toEqualTypeOf<string | null | undefined>();
    expectTypeOf(useGeneration).returns.toEqualTypeOf<GenerationState>();
  });

  it('types data and error loosely before narrowing', () => {
    expectTypeOf(state.data).toEqualTypeOf<Generation | undefined>();
    expectTypeOf(state.error).toEqualTypeOf<GenmetaError | undefined>();
    expectTypeOf(state.status).toEqualTypeOf<'idle' | 'pending' | 'success' | 'error'>();
    expectTypeOf(state.refetch).toEqualTypeOf<() => Promise<void>>();
    expectTypeOf(state.isFetching).toEqualTypeOf<boolean>();
  });

  it('narrows on status', () => {
    if (state.status === 'success') {
      expectTypeOf(state.data).toEqualTypeOf<Generation>();
      expectTypeOf(state.error).toEqualTypeOf<undefined>();
    }
    if (state.status === 'error') {
      expectTypeOf(state.error).toEqualTypeOf<GenmetaError>();
      expectTypeOf(state.data).toEqualTypeOf<undefined>();
    }
    if (state.status === 'pending') {
      expectTypeOf(state.isPending).toEqualTypeOf<true>();
      expectTypeOf(state.isWaiting).toEqualTypeOf<boolean>();
    }
    if (state.status === 'idle') expectTypeOf(state.isWaiting).toEqualTypeOf<false>();
  });

  it('narrows on isPending and on data', () => {
    if (!state.isPending && state.status !== 'error' && state.status !== 'idle') {
      expectTypeOf(state.data).toEqualTypeOf<Generation>();
    }
    if (state.isPending) {
      expectTypeOf(state.status).toEqualTypeOf<'pending'>();
      expectTypeOf(state.data).toEqualTypeOf<undefined>();
    }
  });

  it('rejects unknown options', () => {
    // @ts-expect-error not an option
    useGeneration('gen-1', { retry: 3 });
    useGeneration('gen-1', { enabled: false, deadlineMs: 5_000 });
  });
});

describe('useGenerations', () => {
  it('returns per-id states and a SpendSummary', () => {
    const batch = useGenerations(['gen-1', 'gen-2']);
    expectTypeOf(batch).toEqualTypeOf<GenerationsState>();
    expectTypeOf(batch.summary).toEqualTypeOf<SpendSummary>();
    expectTypeOf(batch.data).toEqualTypeOf<readonly Generation[]>();
    const first = batch.results[0];
    if (first?.status === 'success') expectTypeOf(first.data).toEqualTypeOf<Generation>();
    if (first?.status === 'error') expectTypeOf(first.error).toEqualTypeOf<GenmetaError>();
    expectTypeOf(first?.id).toEqualTypeOf<string | undefined>();
    expectTypeOf(batch.results).toEqualTypeOf<readonly GenerationItemState[]>();
    // The same fields useGeneration returns, plus the id.
    expectTypeOf<Omit<GenerationItemState, 'id'>>().toEqualTypeOf<Omit<GenerationState, never>>();
    if (first?.status === 'pending') expectTypeOf(first.isPending).toEqualTypeOf<true>();
    expectTypeOf(first?.refetch).toEqualTypeOf<(() => Promise<void>) | undefined>();
  });
});

declare const client: GenmetaClient;

describe('generationQueryOptions', () => {
  const options = generationQueryOptions('gen-1', client);

  it('has a literal query key', () => {
    expectTypeOf(options.queryKey).toEqualTypeOf<readonly ['genmeta', 'generation', string]>();
  });

  it('has a queryFn resolving a Generation from a context with a signal', () => {
    expectTypeOf(options.queryFn)
      .parameter(0)
      .toHaveProperty('signal')
      .toEqualTypeOf<AbortSignal>();
    expectTypeOf(options.queryFn).returns.resolves.toEqualTypeOf<Generation>();
  });

  it('fits the structural shape TanStack Query expects', () => {
    // A local copy of the relevant part of TanStack Query v5's UseQueryOptions.
    type QueryFunctionContext = {
      queryKey: readonly unknown[];
      signal: AbortSignal;
      meta: unknown;
    };
    type UseQueryOptionsShape<TData> = {
      queryKey: readonly unknown[];
      queryFn?: (context: QueryFunctionContext) => TData | Promise<TData>;
      staleTime?: number;
      retry?: boolean | number | ((failureCount: number, error: Error) => boolean);
    };
    expectTypeOf(options).toExtend<UseQueryOptionsShape<Generation>>();
    expectTypeOf(options.retry).toExtend<(failureCount: number, error: Error) => boolean>();
    expectTypeOf(options.staleTime).toEqualTypeOf<number>();
  });
});
