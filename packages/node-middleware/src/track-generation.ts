import {
  contextOfRequest,
  inlineFromApp,
  requestStorage,
  trackInContext,
} from './internal/context.js';
import type { InlineUsage } from './types.js';

/**
 * Records an OpenRouter generation id in the cost record of the incoming request whose async
 * flow calls it (AsyncLocalStorage: service code need not see `req`).
 *
 * @param id - the generation id (`gen-...`).
 * @param inline - the inline usage the completion carried, when known; used when the stats
 *   lookup fails and reported as `inlineCostUsd`. A missing `isByok` counts as `false`.
 * @param request - the incoming `Request` a `handle`d handler received: its record gets the id.
 *   Needed only where no AsyncLocalStorage carries the request (Workers without
 *   `nodejs_compat`). @default the request of the current async context
 * @returns true when recorded; false outside a request handled by `costLogger`, for an invalid
 *   id, or after the response has finished. Never throws.
 *
 * @example
 * const completion = await openai.chat.completions.create({ model, messages });
 * trackGeneration(completion.id);
 */
export function trackGeneration(id: string, inline?: InlineUsage, request?: Request): boolean {
  try {
    const context = contextOfRequest(request) ?? requestStorage.getStore();
    return context ? trackInContext(context, id, inlineFromApp(inline)) : false;
  } catch {
    return false;
  }
}
