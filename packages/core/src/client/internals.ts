import type { Log } from './log.js';
import type { ResolvedOptions } from './options.js';

/** What `@genmeta/core/api` reuses of a client: its resolved options and its log. */
export interface ClientInternals {
  readonly options: ResolvedOptions;
  readonly log: Log;
}

/**
 * Each client's internals, kept off the client object itself so the key is reachable from no
 * property (inspection, serialization, a stray `Object.getOwnPropertySymbols`).
 */
export const clientInternals: WeakMap<object, ClientInternals> = /* @__PURE__ */ new WeakMap();
