import type { GenmetaClient } from '../client/types.js';
import { isGenmetaError, NetworkError } from '../errors.js';
import type { Generation } from '../schemas/generation.js';
import {
  errorSnapshot,
  FETCHING_SNAPSHOT,
  type GenerationSnapshot,
  PENDING_SNAPSHOT,
  successSnapshot,
  WAITING_SNAPSHOT,
} from './generation-snapshots.js';

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

interface Subscription {
  readonly listener: () => void;
  readonly want: boolean;
  /** The running lookup it holds a share of, if any. */
  sharing: Running | undefined;
}

/** The id's running lookup: one `getGeneration` call, whatever the number of subscribers. */
interface Running {
  /** Settles when the lookup has set the entry's snapshot. */
  readonly settled: Promise<void>;
  /** Subscribers holding a share; the last one to leave aborts the lookup. */
  shares: number;
  readonly abort: (reason?: unknown) => void;
}

interface Entry {
  snapshot: GenerationSnapshot;
  readonly subscriptions: Set<Subscription>;
  /** undefined when none runs. */
  running: Running | undefined;
}

/**
 * Per-client state: one entry per id, one `getGeneration` call per id however many subscribers
 * ask (the entry counts the wanting subscribers' shares, as a TanStack query counts its
 * observers; deduplicating requests is the client's job alone), found generations kept
 * for the store's life (they never change), a lookup aborted once its last share is left. The
 * leave is deferred by a microtask so React StrictMode's synchronous unsubscribe/resubscribe
 * keeps the live request.
 */
export function createGenerationStore(client: GenmetaClient): GenerationStore {
  const entries = new Map<string, Entry>();

  const ensure = (id: string): Entry => {
    let entry = entries.get(id);
    if (!entry) {
      entry = { snapshot: PENDING_SNAPSHOT, subscriptions: new Set(), running: undefined };
      entries.set(id, entry);
    }
    return entry;
  };

  const set = (entry: Entry, snapshot: GenerationSnapshot): void => {
    if (entry.snapshot === snapshot) return;
    entry.snapshot = snapshot;
    for (const { listener } of [...entry.subscriptions]) listener();
  };

  /** Starts the id's lookup: the outcome lands in the entry's snapshot, once. */
  const start = (id: string, entry: Entry, deadlineMs: number | undefined): Running => {
    const controller = new AbortController();
    const isCurrent = (): boolean => !controller.signal.aborted;
    set(entry, FETCHING_SNAPSHOT);
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
    const settled = request.then(
      (generation) => {
        if (!isCurrent()) return;
        entry.running = undefined;
        set(entry, successSnapshot(generation));
      },
      (error: unknown) => {
        if (!isCurrent()) return;
        entry.running = undefined;
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
    return {
      settled,
      shares: 0,
      abort: (reason) => {
        controller.abort(reason);
        entry.running = undefined;
        set(entry, PENDING_SNAPSHOT);
      },
    };
  };

  /** Gives `subscription` a share of the id's lookup, starting one when none runs. */
  const share = (
    id: string,
    entry: Entry,
    subscription: Subscription,
    deadlineMs: number | undefined,
  ): void => {
    if (subscription.sharing !== undefined && subscription.sharing === entry.running) return;
    const running = entry.running ?? start(id, entry, deadlineMs);
    entry.running = running;
    running.shares++;
    subscription.sharing = running;
  };

  /** Gives `subscription`'s share back; the last share of an unfinished lookup aborts it. */
  const unshare = (entry: Entry, subscription: Subscription): void => {
    const running = subscription.sharing;
    subscription.sharing = undefined;
    // A lookup that has finished (or was replaced) needs no share back.
    if (running === undefined || entry.running !== running) return;
    running.shares--;
    if (running.shares === 0) running.abort();
  };

  const releaseLater = (id: string, entry: Entry, subscription: Subscription): void => {
    queueMicrotask(() => {
      unshare(entry, subscription);
      // Keep successes for the store's life; forget the rest once nobody looks at them.
      if (
        entries.get(id) === entry &&
        entry.subscriptions.size === 0 &&
        entry.snapshot.status !== 'success'
      ) {
        entries.delete(id);
      }
    });
  };

  return {
    getSnapshot: (id) => entries.get(id)?.snapshot,

    subscribe(id, listener, { want, deadlineMs }) {
      const entry = ensure(id);
      const subscription: Subscription = { listener, want, sharing: undefined };
      entry.subscriptions.add(subscription);
      if (want && (entry.running || entry.snapshot.status === 'pending')) {
        share(id, entry, subscription, deadlineMs);
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        entry.subscriptions.delete(subscription);
        releaseLater(id, entry, subscription);
      };
    },

    refetch(id, deadlineMs) {
      const entry = entries.get(id);
      if (!entry || entry.snapshot.status === 'success') return Promise.resolve();
      if (entry.running) return entry.running.settled;
      // Nobody is looking: a request now would be aborted at once.
      if (entry.subscriptions.size === 0) return Promise.resolve();
      // An explicit refetch: every present subscriber shares the new lookup.
      for (const subscription of entry.subscriptions) share(id, entry, subscription, deadlineMs);
      return (entry.running as Running | undefined)?.settled ?? Promise.resolve();
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
