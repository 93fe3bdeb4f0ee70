import {
  type FetchRequestOptions,
  runFetchHandler,
  type WaitUntil,
} from './internal/fetch-request.js';
import type { RequestHookOptions } from './internal/request-hook.js';
import type { CostAttributes } from './types.js';

/** Options of {@link CostLogger.handle}. */
export interface HandleOptions<R extends Request = Request> {
  /**
   * Requests for which it returns true are passed to the handler untouched (no context, no
   * record). (The logger's own `skip` takes node requests and is not called here.)
   * @default undefined
   */
  skip?: (request: R) => boolean;
  /**
   * Produces the request id. (The logger's own `requestId` takes node requests and is not
   * called here.)
   * @default incoming x-request-id (1 to 128 printable ASCII characters) or crypto.randomUUID()
   */
  requestId?: (request: R) => string;
  /**
   * The route pattern written in records (`route`), e.g. `/api/chat/[id]` for a Next.js route.
   * @default null
   */
  route?: string;
  /**
   * The record's attributes (who or which feature spent it), asked once when the record is
   * built; merged under those set with `setCostAttributes` during the request. (The logger's own
   * `attributes` takes node requests and is not called here.)
   * @default undefined
   */
  attributes?: (request: R, response: Response | undefined) => CostAttributes | undefined;
  /**
   * The platform's way to keep working after the response, `(promise) => void`, such as
   * `ctx.waitUntil.bind(ctx)` on Cloudflare Workers or `waitUntil` of `@vercel/functions`:
   * the request's record is then looked up and written within that request, and the promise
   * given to it settles once the record is out. Required where the platform stops a request's
   * work when its response is sent (Workers: records would be lost, and one request's lookups
   * would run on another's I/O).
   * @default the `waitUntil` of the handler's last argument when it has one (a Workers
   *   `ExecutionContext`, a Next.js middleware's `event`), else none (the record is finished
   *   in the background, as on Node)
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

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
    const fetchOptions: FetchRequestOptions<R> = {
      skip: handleOptions.skip,
      requestId: handleOptions.requestId,
      route: route === undefined ? undefined : () => route,
      attributes: handleOptions.attributes as FetchRequestOptions<R>['attributes'],
      waitUntil: handleOptions.waitUntil,
    };
    return (request, ...rest) => {
      const waitUntil = fetchOptions.waitUntil === undefined ? waitUntilOf(rest) : undefined;
      const options = waitUntil === undefined ? fetchOptions : { ...fetchOptions, waitUntil };
      return runFetchHandler(hook, options, handler, request, rest);
    };
  };
}
