import { runFetchHandler } from './fetch-request.js';
import type { RequestHookOptions } from './request-hook.js';
import type { HandleOptions, HostFetchRequestOptions, WaitUntil } from './types.js';

/** `waitUntil` of a host object handed to the handler (a Workers `ExecutionContext`). */
function waitUntilOf(rest: readonly unknown[]): WaitUntil | undefined {
  const last = rest[rest.length - 1];
  if (typeof last !== 'object' || last === null) return undefined;
  try {
    const { waitUntil } = last as { waitUntil?: unknown };
    return typeof waitUntil === 'function'
      ? (promise) => (waitUntil as WaitUntil).call(last, promise)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `CostLogger.handle` over one logger's request hooks. */
export function createHandle(hook: RequestHookOptions) {
  return function handle<R extends Request, Rest extends unknown[]>(
    handler: (request: R, ...rest: Rest) => Response | Promise<Response>,
    handleOptions: HandleOptions<R> = {},
  ): (request: R, ...rest: Rest) => Promise<Response> {
    const { route } = handleOptions;
    const fetchOptions: HostFetchRequestOptions<R> = {
      skip: handleOptions.skip,
      requestId: handleOptions.requestId,
      route: route === undefined ? undefined : () => route,
      attributes: handleOptions.attributes as HostFetchRequestOptions<R>['attributes'],
      waitUntil: handleOptions.waitUntil,
    };
    return (request, ...rest) => {
      const waitUntil = fetchOptions.waitUntil === undefined ? waitUntilOf(rest) : undefined;
      const options = waitUntil === undefined ? fetchOptions : { ...fetchOptions, waitUntil };
      return runFetchHandler(hook, options, handler, request, rest);
    };
  };
}
