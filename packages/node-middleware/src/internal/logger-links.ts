import type { Tracker } from './context.js';
import type { Reporter } from './report.js';

/** What a spend limiter needs of the costLogger it is attached to. */
export interface LoggerLink {
  /** a request's context belongs to this logger when its tracker is this one */
  readonly tracker: Tracker;
  /** the logger's once-per-key reporter (its `logger.warn`) */
  readonly report: Reporter;
}

/** The link of each costLogger, by its middleware function. */
export const loggerLinks = new WeakMap<object, LoggerLink>();
