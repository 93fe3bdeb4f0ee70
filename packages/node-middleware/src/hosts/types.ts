import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CostAttributes, CostRecord, InlineUsage } from '../record/types.js';

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
export interface HostFetchRequestOptions<Request> {
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

/**
 * Follows a request's spend as it becomes known: what `spendLimit` gives
 * {@link CostLoggerHost.observeSpend} to count a request's spend against a key.
 */
export interface SpendObserver {
  /** An id was tracked, or its inline usage learnt (`inline` is all that is known of it). */
  tracked(id: string, inline: InlineUsage | undefined): void;
  /** The request's record was built: the looked-up spend corrects the inline one. */
  emitted(record: CostRecord): void;
}

/**
 * A request begun on a {@link CostLoggerHost}: its id, and the request context the logger's
 * `trackGeneration`, tracking fetch and `setCostAttributes` find while it is current. Opaque
 * otherwise: only the host that began it can use it.
 */
export interface HostRequest {
  /** The request id (the incoming `x-request-id`, or a UUID), also sent as `x-request-id`. */
  readonly requestId: string;
}

/** A fetch-style request begun by {@link CostLoggerHost.beginFetchRequest}. */
export interface HostFetchRequest {
  /** The request, to make current while its handler runs ({@link CostLoggerHost.run}). */
  readonly request: HostRequest;
  /**
   * The response to hand back to the platform: the same status, headers and bytes (passed
   * through chunk by chunk), with `x-request-id` unless the handler set one. The record starts
   * its life once this body was sent or cancelled.
   */
  respond(response: Response): Response;
  /** The handler failed before answering: the record starts now, with status 500. */
  fail(): void;
}

/**
 * The declared seam between a costLogger and the framework that hosts it, `costLogger().host`.
 * The Express/node:http middleware, `handle`, the `/fastify` and `/hono` adapters and
 * `spendLimit` all go through it, and so may a third-party adapter: begin each incoming
 * request, make it current while the app's code runs, hand back its response (its record then
 * starts its life), and follow its spend. Nothing here throws into the app except
 * `beginNodeRequest` and `beginFetchRequest` on an internal fault (report it and pass the
 * request through).
 *
 * @example
 * // a framework whose handlers take a Web Request and return a Response
 * const { host } = costLogger();
 * declare function handler(request: Request): Promise<Response>;
 * async function serve(request: Request): Promise<Response> {
 *   const started = host.beginFetchRequest(request);
 *   if (started === undefined) return handler(request); // skipped
 *   try {
 *     return started.respond(await host.run(started.request, () => handler(request)));
 *   } catch (error) {
 *     started.fail();
 *     throw error;
 *   }
 * }
 */
export interface CostLoggerHost {
  /**
   * Begins a node request (Express, connect, node:http, Fastify's `request.raw`/`reply.raw`):
   * its context, `x-request-id`, `res.locals.genmeta`, and a `close` listener that starts its
   * record once the response is over. Undefined when the logger's `skip` says to pass it by.
   * `route` gives the route pattern where the request carries no Express `route`.
   */
  beginNodeRequest(
    request: IncomingMessage,
    response: ServerResponse,
    route?: (request: IncomingMessage) => string | null,
  ): HostRequest | undefined;
  /**
   * Begins a fetch-style request (a Web `Request`). Undefined when `options.skip` says to pass
   * it by. Hand the handler's response to `respond`, or call `fail` when it threw.
   */
  beginFetchRequest<R extends Request>(
    request: R,
    options?: HostFetchRequestOptions<R>,
  ): HostFetchRequest | undefined;
  /** Runs `work` with `request` current (AsyncLocalStorage), and returns what it returns. */
  run<T>(request: HostRequest | undefined, work: () => T): T;
  /**
   * Makes `request` current for the rest of this synchronous flow and what it starts
   * (AsyncLocalStorage's `enterWith`), for hooks that cannot wrap the handler (Fastify).
   * `undefined` clears what an earlier request on the same connection left current.
   */
  enter(request: HostRequest | undefined): void;
  /** The current request when it was begun by this logger, else undefined. */
  currentRequest(): HostRequest | undefined;
  /**
   * Follows `request`'s spend: `observer.tracked` for each id it tracked so far and each later
   * one, `observer.emitted` once its record is built. False (and nothing done) when the request
   * was not begun by this logger.
   */
  observeSpend(request: HostRequest, observer: SpendObserver): boolean;
  /** Warns through the logger's `logger` once per `key` (a fault that may repeat). */
  report(key: string, message: string, error?: unknown): void;
  /** Warns through the logger's `logger` every time (counts that must all be seen). */
  warn(details: object, message: string): void;
}
