import type { Tracker } from './context.js';

/**
 * The tracker of each costLogger, by the middleware function: a spend limiter given
 * `logger` checks that a request's context belongs to that logger.
 */
export const trackerOfLogger = new WeakMap<object, Tracker>();
