/**
 * What this package needs of its host that is not the same everywhere (Node, Bun, Deno,
 * workerd with or without `nodejs_compat`, Vercel's edge-runtime), found at run time and never
 * by a static `node:` import, so the package loads wherever `fetch` and `Request` exist.
 */

/** The part of `AsyncLocalStorage` this package uses. */
export interface AsyncStorage<T> {
  run<R>(store: T, callback: () => R): R;
  getStore(): T | undefined;
  enterWith(store: T): void;
}

type AsyncStorageClass = new <T>() => AsyncStorage<T>;

interface NodeLikeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

/** A Node built-in module where the host hands them out synchronously, else undefined. */
export function builtinModule(id: string): Record<string, unknown> | undefined {
  try {
    const host = (globalThis as { process?: NodeLikeProcess }).process;
    const module = host?.getBuiltinModule?.(id);
    // node:events is a function (EventEmitter) with the module's exports on it
    return (typeof module === 'object' && module !== null) || typeof module === 'function'
      ? (module as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `AsyncLocalStorage` from the global scope (Vercel's edge-runtime puts it there) or from
 * `node:async_hooks` through `process.getBuiltinModule` (Node, Bun, Deno, workerd with
 * `nodejs_compat`); undefined elsewhere (workerd without it).
 */
function findAsyncLocalStorage(): AsyncStorageClass | undefined {
  const global = (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage;
  if (typeof global === 'function') return global as AsyncStorageClass;
  const fromNode = builtinModule('node:async_hooks')?.AsyncLocalStorage;
  return typeof fromNode === 'function' ? (fromNode as AsyncStorageClass) : undefined;
}

/** Stands in where there is no AsyncLocalStorage: runs callbacks, remembers nothing. */
class NoAsyncStorage<T> implements AsyncStorage<T> {
  run<R>(_store: T, callback: () => R): R {
    return callback();
  }
  getStore(): T | undefined {
    return undefined;
  }
  enterWith(_store: T): void {}
}

const AsyncStorageClass = findAsyncLocalStorage();

/** A new AsyncLocalStorage, or a stand-in that carries nothing where the host has none. */
export function createAsyncStorage<T>(): AsyncStorage<T> {
  return AsyncStorageClass === undefined ? new NoAsyncStorage<T>() : new AsyncStorageClass<T>();
}

/**
 * Lets a timer not keep the process alive: `unref()` on Node and Bun timers, `Deno.unrefTimer`
 * on Deno's numeric ids; nothing where timers cannot (workerd).
 */
export function unrefTimer(timer: unknown): void {
  try {
    if (typeof timer === 'object' && timer !== null) {
      (timer as { unref?: () => void }).unref?.();
      return;
    }
    const deno = (globalThis as { Deno?: { unrefTimer?: (id: unknown) => void } }).Deno;
    if (typeof timer === 'number') deno?.unrefTimer?.(timer);
  } catch {
    // a timer that keeps the process up is only a slower exit
  }
}

/** Runs `callback` once the current turn is over: `setImmediate` where it exists. */
export function afterThisTurn(callback: () => void): void {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown })
    .setImmediate;
  if (typeof immediate === 'function') immediate(callback);
  else setTimeout(callback, 0);
}

/** A random UUID (Web Crypto: global on every supported host). */
export function randomId(): string {
  return crypto.randomUUID();
}

/**
 * Lifts Node's listener-count warning off a signal that every queued lookup listens on; a no-op
 * where `node:events` has no `setMaxListeners` (edge-runtime) or is not there.
 */
export function allowManyListeners(signal: AbortSignal): void {
  const setMaxListeners = builtinModule('node:events')?.setMaxListeners;
  if (typeof setMaxListeners !== 'function') return;
  try {
    (setMaxListeners as (count: number, target: AbortSignal) => void)(0, signal);
  } catch {
    // only a warning is at stake
  }
}
