import type { Generation, GenmetaError } from '@genmeta/core';

/** Fields every state has. */
interface GenerationStateBase {
  /** A request for this id is in flight. */
  isFetching: boolean;
  /**
   * Looks the id up again after an error (a found generation never changes, so after a success
   * it resolves at once). Joins the request in flight if there is one. Never rejects.
   */
  refetch: () => Promise<void>;
}

/**
 * What {@link useGeneration} returns: a union discriminated by `status`, so checking
 * `status === 'success'` narrows `data` to `Generation` and `status === 'error'` narrows
 * `error` to `GenmetaError`.
 */
export type GenerationState = GenerationStateBase &
  (
    | {
        /** No id (null or undefined), or disabled with nothing known: no request. */
        status: 'idle';
        data: undefined;
        error: undefined;
        isPending: false;
        isWaiting: false;
      }
    | {
        /** Not found yet: requesting, or waiting while the generation is not ready. */
        status: 'pending';
        data: undefined;
        error: undefined;
        isPending: true;
        /** OpenRouter answered "not ready yet" (404) and the client is waiting to ask again. */
        isWaiting: boolean;
      }
    | {
        status: 'success';
        /** The generation (wire field names, unknown fields kept). */
        data: Generation;
        error: undefined;
        isPending: false;
        isWaiting: false;
      }
    | {
        status: 'error';
        data: undefined;
        /** One of core's typed errors; `error.code` tells which. */
        error: GenmetaError;
        isPending: false;
        isWaiting: false;
      }
  );

/**
 * The state of one id in `useGenerations().results`: the same fields {@link GenerationState}
 * (what `useGeneration` returns) has, plus the `id`; its `refetch` looks that id up again.
 */
export type GenerationItemState = { readonly id: string } & GenerationState;
