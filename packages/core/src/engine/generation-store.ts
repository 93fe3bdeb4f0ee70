import type { GenmetaClient } from '../client.js';
import { type GenmetaError, isGenmetaError, NetworkError } from '../errors.js';
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

const FETCHING_SNAPSHOT: GenerationSnapshot = Object.freeze({
  status: 'pending',
  data: undefined,
  error: undefined,
  isWaiting: false,
  isFetching: true,
});

const WAITING_SNAPSHOT: GenerationSnapshot = Object.freeze({
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

function errorSnapshot(error: GenmetaError): GenerationSnapshot {
  return Object.freeze({
    status: 'error',
    data: undefined,
    error,
    isWaiting: false,
    isFetching: false,
  });
}

interface Entry {
  snapshot: GenerationSnapshot;
  readonly listeners: Set<() => void>;
  /** components that want this id fetched (enabled subscribers) */
  wanted: number;
  controller: AbortController | undefined;
  promise: Promise<void> | undefined;
}

/** Options of one {@link GenerationStore.subscribe}. */
export interface SubscribeOptions {
  /** `false`: only listen, never start or keep a request alive. */
  want: boolean;
  /** The lookup's deadline; `undefined` for the client's. */
  deadlineMs: number | undefined;
}

/** Per-id lookup state over a client, for UIs (subscribe / snapshot per id). */
export interface GenerationStore {
  /** The id's current snapshot, or `undefined` when nobody asked for it. */
  getSnapshot(id: string): GenerationSnapshot | undefined;
  /** Listens to the id's snapshot (and starts its lookup when `want`); returns the unsubscribe. */
  subscribe(id: string, listener: () => void, options: SubscribeOptions): () => void;
  /** Looks a failed id up again (no-op once found, or when nobody listens). */
  refetch(id: string, deadlineMs: number | undefined): Promise<void>;
}

/**
 * Per-client state: one entry per id, one request per id however many components ask,
 * found generations kept for the page's life (they never change), requests aborted when
 * nobody wants them any more. The abort is deferred by a microtask so StrictMode's
 * synchronous unsubscribe/resubscribe keeps the live request.
 */
export function createGenerationStore(client: GenmetaClient): GenerationStore {
  const entries = new Map<string, Entry>();

  const ensure = (id: string): Entry => {
    let entry = entries.get(id);
    if (!entry) {
      entry = {
        snapshot: PENDING_SNAPSHOT,
        listeners: new Set(),
        wanted: 0,
        controller: undefined,
        promise: undefined,
      };
      entries.set(id, entry);
    }
    return entry;
  };

  const set = (entry: Entry, snapshot: GenerationSnapshot): void => {
    if (entry.snapshot === snapshot) return;
    entry.snapshot = snapshot;
    for (const listener of [...entry.listeners]) listener();
  };

  const start = (id: string, entry: Entry, deadlineMs: number | undefined): Promise<void> => {
    const controller = new AbortController();
    entry.controller = controller;
    set(entry, FETCHING_SNAPSHOT);
    const isCurrent = () => entry.controller === controller && !controller.signal.aborted;
    let request: Promise<Generation>;
    try {
      request = client.getGeneration(id, {
        signal: controller.signal,
        ...(deadlineMs === undefined ? {} : { deadlineMs }),
        onWaiting: () => {
          if (isCurrent()) set(entry, WAITING_SNAPSHOT);
        },
      });
    } catch (error) {
      request = Promise.reject(error);
    }
    const promise = request.then(
      (generation) => {
        if (!isCurrent()) return;
        entry.controller = undefined;
        entry.promise = undefined;
        set(entry, successSnapshot(generation));
      },
      (error: unknown) => {
        if (!isCurrent()) return;
        entry.controller = undefined;
        entry.promise = undefined;
        // Core rejects with GenmetaError only; a custom client might not (as core's batch does).
        const typed = isGenmetaError(error)
          ? error
          : new NetworkError(`Lookup of generation ${id} failed: ${String(error)}`, {
              generationId: id,
              cause: error,
            });
        set(entry, errorSnapshot(typed));
      },
    );
    entry.promise = promise;
    return promise;
  };

  const releaseLater = (id: string, entry: Entry): void => {
    queueMicrotask(() => {
      if (entries.get(id) !== entry) return;
      if (entry.wanted === 0 && entry.controller) {
        entry.controller.abort();
        entry.controller = undefined;
        entry.promise = undefined;
        set(entry, PENDING_SNAPSHOT);
      }
      // Keep successes for the page's life; forget the rest once nobody looks at them.
      if (entry.listeners.size === 0 && entry.snapshot.status !== 'success') entries.delete(id);
    });
  };

  return {
    getSnapshot: (id) => entries.get(id)?.snapshot,

    subscribe(id, listener, { want, deadlineMs }) {
      const entry = ensure(id);
      entry.listeners.add(listener);
      if (want) {
        entry.wanted += 1;
        if (entry.snapshot.status === 'pending' && !entry.promise)
          void start(id, entry, deadlineMs);
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        entry.listeners.delete(listener);
        if (want) entry.wanted -= 1;
        releaseLater(id, entry);
      };
    },

    refetch(id, deadlineMs) {
      const entry = entries.get(id);
      if (!entry || entry.snapshot.status === 'success') return Promise.resolve();
      if (entry.promise) return entry.promise;
      // Nobody is looking: a request now would be aborted at once.
      if (entry.listeners.size === 0) return Promise.resolve();
      return start(id, entry, deadlineMs);
    },
  };
}

const stores = new WeakMap<GenmetaClient, GenerationStore>();

/** The one store of a client (so every hook using the same client shares requests and cache). */
export function generationStoreFor(client: GenmetaClient): GenerationStore {
  let store = stores.get(client);
  if (!store) {
    store = createGenerationStore(client);
    stores.set(client, store);
  }
  return store;
}
