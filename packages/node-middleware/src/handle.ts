import { type FetchRequestOptions, runFetchHandler } from './internal/fetch-request.js';
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
    };
    return (request, ...rest) => runFetchHandler(hook, fetchOptions, handler, request, rest);
  };
}
