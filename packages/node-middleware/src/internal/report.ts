import type { CostLoggerLogger } from '../types.js';

/** Reports a problem once per key: a failing sink must not flood the host's logs. */
export function createReporter(logger: CostLoggerLogger | undefined) {
  const reported = new Set<string>();
  return (key: string, message: string, error?: unknown): void => {
    if (reported.has(key)) return;
    reported.add(key);
    const detail =
      error instanceof Error ? error.message : error === undefined ? '' : String(error);
    try {
      if (logger?.warn) logger.warn({ error: detail }, message);
      else console.warn(detail === '' ? message : `${message}: ${detail}`);
    } catch {
      // reporting is best effort
    }
  };
}

export type Reporter = ReturnType<typeof createReporter>;
