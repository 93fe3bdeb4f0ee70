import type { Logger } from './types.js';

/** Writes one line to the client's logger, pino-style: `(details, message)`. */
export type Log = (level: keyof Logger, details: Record<string, unknown>, message: string) => void;

/** A {@link Log} over `logger`; a failing logger never fails a lookup. */
export function createLog(logger: Logger | undefined): Log {
  return (level, details, message) => {
    try {
      logger?.[level]?.(details, `genmeta: ${message}`);
    } catch {
      // a failing logger must not fail the lookup
    }
  };
}
