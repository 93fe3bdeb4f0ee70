import type { GenmetaError } from '../errors.js';
import type { Generation } from '../schemas/generation.js';

/** What a {@link GenerationStore} knows about one id; a UI derives its state from it. */
export type GenerationSnapshot =
  | {
      readonly status: 'idle';
      readonly data: undefined;
      readonly error: undefined;
      readonly isWaiting: false;
      readonly isFetching: false;
    }
  | {
      readonly status: 'pending';
      readonly data: undefined;
      readonly error: undefined;
      readonly isWaiting: boolean;
      readonly isFetching: boolean;
    }
  | {
      readonly status: 'success';
      readonly data: Generation;
      readonly error: undefined;
      readonly isWaiting: false;
      readonly isFetching: false;
    }
  | {
      readonly status: 'error';
      readonly data: undefined;
      readonly error: GenmetaError;
      readonly isWaiting: false;
      readonly isFetching: false;
    };

/** The snapshot of no id (nothing asked). */
export const IDLE_SNAPSHOT: GenerationSnapshot = Object.freeze({
  status: 'idle',
  data: undefined,
  error: undefined,
  isWaiting: false,
  isFetching: false,
});

/** An id that is wanted but not requested yet (first render, server render). */
export const PENDING_SNAPSHOT: GenerationSnapshot = Object.freeze({
  status: 'pending',
  data: undefined,
  error: undefined,
  isWaiting: false,
  isFetching: false,
});

/** A lookup is running. */
export const FETCHING_SNAPSHOT: GenerationSnapshot = Object.freeze({
  status: 'pending',
  data: undefined,
  error: undefined,
  isWaiting: false,
  isFetching: true,
});

/** A lookup is waiting out not-ready answers. */
export const WAITING_SNAPSHOT: GenerationSnapshot = Object.freeze({
  status: 'pending',
  data: undefined,
  error: undefined,
  isWaiting: true,
  isFetching: true,
});

const successSnapshots = new WeakMap<Generation, GenerationSnapshot>();

/** One stable success snapshot per generation object, so renders can compare by reference. */
export function successSnapshot(generation: Generation): GenerationSnapshot {
  let snapshot = successSnapshots.get(generation);
  if (!snapshot) {
    snapshot = Object.freeze({
      status: 'success',
      data: generation,
      error: undefined,
      isWaiting: false,
      isFetching: false,
    });
    successSnapshots.set(generation, snapshot);
  }
  return snapshot;
}

/** A frozen error snapshot. */
export function errorSnapshot(error: GenmetaError): GenerationSnapshot {
  return Object.freeze({
    status: 'error',
    data: undefined,
    error,
    isWaiting: false,
    isFetching: false,
  });
}
