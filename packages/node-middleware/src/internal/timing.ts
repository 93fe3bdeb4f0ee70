/** Resolves after `ms` (unref'd: it never keeps the process up) or when `signal` aborts. */
export function bound(ms: number, signal: AbortSignal): { ended: Promise<void>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const ended = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
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
