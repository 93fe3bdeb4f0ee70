import type { CostAttributes } from '../record/types.js';

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

/** How one fetch-style request is described: by `handle`'s options or an adapter. */
export interface FetchRequestOptions<Request> {
  readonly skip?: ((request: Request) => boolean) | undefined;
  readonly requestId?: ((request: Request) => string) | undefined;
  /** The route pattern, read when the response is over (a router knows it only then). */
  readonly route?: (() => string | null) | undefined;
  /** The record's attributes, asked once when the request has a record. */
  readonly attributes?:
    | ((request: Request, response: Response | undefined) => CostAttributes | undefined)
    | undefined;
  /**
   * The host's `waitUntil` for this request (workerd's `ctx.waitUntil`): the record is then
   * finished within this request, and the host is given a promise that settles once it is out.
   */
  readonly waitUntil?: WaitUntil | undefined;
}

/** A host's way to keep a request alive for work after its response: `(promise) => void`. */
export type WaitUntil = (promise: Promise<unknown>) => void;
