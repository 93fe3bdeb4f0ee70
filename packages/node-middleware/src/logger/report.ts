import type { CostLoggerLogger } from '../record/types.js';

function warn(logger: CostLoggerLogger | undefined, details: object, message: string): void {
  try {
    if (logger?.warn) logger.warn(details, message);
    else console.warn(`${message} ${JSON.stringify(details)}`);
  } catch {
    // reporting is best effort
  }
}

/** Reports a problem once per key: a failing sink must not flood the host's logs. */
export function createReporter(logger: CostLoggerLogger | undefined) {
  const reported = new Set<string>();
  const report = (key: string, message: string, error?: unknown): void => {
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
  /** A warning every time (for counts that must all be seen, e.g. dropped records). */
  report.always = (details: object, message: string): void => warn(logger, details, message);
  return report;
}

export type Reporter = ReturnType<typeof createReporter>;
