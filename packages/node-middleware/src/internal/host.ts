import type { RequestHookOptions } from './request-hook.js';

/**
 * The request hooks of each costLogger, for the framework adapters (`/hono`, `/fastify`):
 * they begin requests on the logger's pipeline without widening its public surface.
 */
const hooks = new WeakMap<object, RequestHookOptions>();

export function registerHook(logger: object, hook: RequestHookOptions): void {
  hooks.set(logger, hook);
}

export function hookOf(logger: object): RequestHookOptions {
  const hook = hooks.get(logger);
  if (hook === undefined) throw new TypeError('genmeta: expected a logger made by costLogger()');
  return hook;
}
