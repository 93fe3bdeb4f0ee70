import { requestStorage, setAttributesInContext } from './context.js';
import type { CostAttributes } from './types.js';

/**
 * Adds attributes (who or what the spend belongs to) to the cost record of the incoming request
 * whose async flow calls it, like {@link trackGeneration}: service code need not see `req`.
 * A key set again is replaced; these win over the `attributes` option of `costLogger` on the
 * same key. Invalid entries (see {@link CostAttributes}) are dropped and reported once through
 * the logger.
 *
 * @returns true when added; false outside a request handled by `costLogger` or once its record
 *   is sealed. Never throws.
 *
 * @example
 * setCostAttributes({ user: session.userId, feature: 'summarize' });
 */
export function setCostAttributes(attributes: CostAttributes): boolean {
  try {
    const context = requestStorage.getStore();
    return context ? setAttributesInContext(context, attributes) : false;
  } catch {
    return false;
  }
}
