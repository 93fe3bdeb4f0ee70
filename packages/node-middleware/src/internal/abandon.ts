import { allowManyListeners } from './platform.js';
import type { AbortLike } from './timing.js';

/**
 * A costLogger's "stop waiting" switch, thrown when `close` runs out of time. A plain listener
 * list: no AbortController exists until the shared lookup queue asks for a signal, because
 * workerd forbids I/O objects at global scope, where a costLogger is usually made.
 */
export interface Abandon extends AbortLike {
  readonly reason: unknown;
  /** An AbortSignal that follows this switch, made on first use. */
  readonly signal: AbortSignal;
  abort(reason: unknown): void;
}

export function createAbandon(): Abandon {
  let aborted = false;
  let reason: unknown;
  const listeners = new Set<() => void>();
  let controller: AbortController | undefined;
  return {
    get aborted() {
      return aborted;
    },
    get reason() {
      return reason;
    },
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        // every running or queued lookup listens on this one signal: as many as the queue holds
        allowManyListeners(controller.signal);
        if (aborted) controller.abort(reason);
      }
      return controller.signal;
    },
    addEventListener(_type, listener) {
      listeners.add(listener);
    },
    removeEventListener(_type, listener) {
      listeners.delete(listener);
    },
    abort(why) {
      if (aborted) return;
      aborted = true;
      reason = why;
      controller?.abort(why);
      const waiting = [...listeners];
      listeners.clear();
      for (const listener of waiting) listener();
    },
  };
}
