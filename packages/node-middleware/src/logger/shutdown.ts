const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Exit codes of a process ended by a signal it handled (128 + signal number). */
const SIGNAL_EXIT_CODES: Record<(typeof SIGNALS)[number], number> = { SIGTERM: 143, SIGINT: 130 };

/** Ends the process the way `signal` would have, unless another handler still wants it. */
function endBy(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/**
 * SIGTERM / SIGINT handlers: the first signal closes the logger (bounded by `timeoutMs`, sinks
 * included) and then re-raises it when no other handler is left, so the process ends the way it
 * would have; a second signal meanwhile ends the process at once.
 */
export function installSignalHandlers(close: () => Promise<void>): {
  remove(): void;
  readonly shuttingDown: boolean;
} {
  const handlers = new Map<NodeJS.Signals, () => void>();
  let shuttingDown = false;
  const remove = (): void => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    handlers.clear();
  };
  for (const signal of SIGNALS) {
    const handler = (): void => {
      if (shuttingDown) {
        remove();
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        else process.exit(SIGNAL_EXIT_CODES[signal]);
        return;
      }
      shuttingDown = true;
      void close().finally(() => {
        remove();
        endBy(signal);
      });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return {
    remove,
    get shuttingDown() {
      return shuttingDown;
    },
  };
}
