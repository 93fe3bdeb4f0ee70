import type { Context, Handler, MiddlewareHandler } from 'hono';
import {
  type CloseOptions,
  type CostLoggerOptions,
  costLogger as createCostLogger,
} from './cost-logger.js';
import {
  generationProxy as createGenerationProxy,
  type GenerationProxyOptions,
} from './generation-proxy.js';
import { requestStorage } from './internal/context.js';
import { beginFetchRequest, type FetchRequest, type WaitUntil } from './internal/fetch-request.js';
import { hookOf } from './internal/host.js';

/** Options of the Hono {@link costLogger}: those of the main `costLogger`, with Hono's context. */
export interface HonoCostLoggerOptions extends Omit<CostLoggerOptions, 'skip' | 'requestId'> {
  /**
   * Requests for which it returns true are passed through untouched (no context, no record).
   * @default undefined
   */
  skip?: (c: Context) => boolean;
  /**
   * Produces the request id, echoed as `x-request-id`.
   * @default incoming x-request-id (1 to 128 printable ASCII characters) or crypto.randomUUID()
   */
  requestId?: (c: Context) => string;
}

/** The Hono middleware returned by {@link costLogger}. */
export interface HonoCostLogger extends MiddlewareHandler {
  /** Resolves once every record of a finished request has been emitted (sinks settled). */
  flush(): Promise<void>;
  /** Flushes, then stops (see the main `CostLogger.close`). */
  close(options?: CloseOptions): Promise<void>;
  /** Records of finished requests not emitted yet. */
  readonly pending: number;
}

/**
 * The Workers `ctx.waitUntil` of this request, when Hono has an execution context: its
 * `c.executionCtx` getter throws on hosts without one (Node, Bun, Deno).
 */
function waitUntilOf(c: Context): WaitUntil | undefined {
  try {
    const executionContext = c.executionCtx;
    return typeof executionContext?.waitUntil === 'function'
      ? (promise) => executionContext.waitUntil(promise)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The route pattern that answered (`c.req.routePath`), or null when only middleware ran. */
function routeOf(c: Context, self: MiddlewareHandler): string | null {
  const route = c.req.matchedRoutes[c.req.routeIndex];
  if (route === undefined || route.handler === self) return null;
  return route.path;
}

/**
 * Hono middleware writing ONE cost record per request that tracked generation ids, once its
 * response body was sent or cancelled (streams pass through untouched). Handlers run in the
 * request's context: `trackGeneration` and `createTrackingFetch()` work inside them. Records
 * carry the matched route pattern (`c.req.routePath`, e.g. `/api/chat/:id`). On Cloudflare
 * Workers each record is finished with the request's `c.executionCtx.waitUntil`.
 *
 * @example
 * import { costLogger, generationProxy } from '@genmeta/node-middleware/hono';
 * const app = new Hono();
 * app.use(costLogger());
 * app.get('/api/genmeta/generation', generationProxy());
 */
export function costLogger(options: HonoCostLoggerOptions = {}): HonoCostLogger {
  const { skip, requestId, ...rest } = options;
  const logger = createCostLogger(rest);
  const hook = hookOf(logger);
  const middleware: MiddlewareHandler = async (c, next) => {
    let started: FetchRequest | undefined;
    try {
      started = beginFetchRequest(hook, c.req.raw, {
        skip: skip && (() => skip(c)),
        requestId: requestId && (() => requestId(c)),
        route: () => routeOf(c, middleware),
        waitUntil: waitUntilOf(c),
      });
    } catch (error) {
      hook.report('middleware', 'genmeta: cost logging skipped for a request', error);
    }
    if (started === undefined) {
      await next();
      return;
    }
    try {
      await requestStorage.run(started.context, next);
    } catch (error) {
      started.fail();
      throw error;
    }
    c.res = started.respond(c.res);
  };
  return Object.defineProperties(middleware, {
    flush: { value: () => logger.flush() },
    close: { value: (closeOptions?: CloseOptions) => logger.close(closeOptions) },
    pending: { get: () => logger.pending },
  }) as HonoCostLogger;
}

/**
 * The generation proxy as a Hono handler: mount it on the path the browser's client uses
 * (`<baseUrl>/generation`). Answers exactly like the node `generationProxy`; `authorizeFetch`
 * gets the Web `Request` (`c.req.raw`).
 *
 * @example
 * app.get('/api/genmeta/generation', generationProxy());
 */
export function generationProxy(options: GenerationProxyOptions = {}): Handler {
  const proxy = createGenerationProxy(options);
  return (c) => proxy.fetch(c.req.raw);
}
