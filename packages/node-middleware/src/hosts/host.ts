import type { RequestHookOptions } from './request-hook.js';

/**
 * The request hooks of each costLogger, by its middleware function, for what attaches to a
 * logger (the framework adapters `/hono` and `/fastify` begin requests on its pipeline;
 * `spendLimit` follows its requests' spend) without widening its public surface.
 */
const hooks = new WeakMap<object, RequestHookOptions>();

export function registerHook(logger: object, hook: RequestHookOptions): void {
  hooks.set(logger, hook);
}

/** The hooks of a costLogger, or undefined for anything else. */
export function findHook(logger: unknown): RequestHookOptions | undefined {
  return typeof logger === 'function' || (typeof logger === 'object' && logger !== null)
    ? hooks.get(logger)
    : undefined;
}

export function hookOf(logger: object): RequestHookOptions {
  const hook = hooks.get(logger);
  if (hook === undefined) throw new TypeError('genmeta: expected a logger made by costLogger()');
  return hook;
}
