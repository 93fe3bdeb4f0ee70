import { unrefTimer } from './platform.js';

/** What `bound` listens to for an early end (an AbortSignal fits). */
export interface AbortLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Resolves after `ms` (unref'd: it never keeps the process up) or when `signal` aborts. */
export function bound(ms: number, signal: AbortLike): { ended: Promise<void>; clear(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const ended = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    unrefTimer(timer);
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return {
    ended,
    clear() {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    },
  };
}
