import type {
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  RouteHandlerMethod,
} from 'fastify';
import type { HostRequest } from '../hosts/types.js';
import { costLogger as createCostLogger } from '../logger/cost-logger.js';
import type { CloseOptions, CostLoggerOptions } from '../logger/types.js';
import { createProxyCore } from '../proxy/proxy-core.js';
import type { GenerationProxyOptions } from '../proxy/types.js';

/** The Fastify plugin returned by {@link costLogger}. */
export interface FastifyCostLogger extends FastifyPluginCallback {
  /** Resolves once every record of a finished request has been emitted (sinks settled). */
  flush(): Promise<void>;
  /** Flushes, then stops (see the main `CostLogger.close`). Also run by `app.close()`. */
  close(options?: CloseOptions): Promise<void>;
  /** Records of finished requests not emitted yet. */
  readonly pending: number;
}

// Fastify's own markers: the plugin's hooks apply to the whole app (no encapsulation).
const SKIP_OVERRIDE = Symbol.for('skip-override');
const DISPLAY_NAME = Symbol.for('fastify.display-name');

/**
 * A Fastify plugin (no `@fastify/express` needed) writing ONE cost record per request that
 * tracked generation ids, once its response is over, exactly as the Express middleware does.
 * Handlers run in the request's context (`trackGeneration`, `createTrackingFetch()`); records
 * carry the route pattern (`request.routeOptions.url`, e.g. `/api/chat/:id`). Options are the
 * main `costLogger`'s (`skip` and `requestId` get the raw node request, `request.raw`).
 * `app.close()` flushes its records.
 *
 * @example
 * import { costLogger, generationProxy } from '@genmeta/node-middleware/fastify';
 * const app = Fastify();
 * await app.register(costLogger());
 * app.get('/api/genmeta/generation', generationProxy());
 */
export function costLogger(options: CostLoggerOptions = {}): FastifyCostLogger {
  const logger = createCostLogger(options);
  const { host } = logger;
  const contexts = new WeakMap<FastifyRequest, HostRequest>();

  const plugin = (instance: FastifyInstance, _options: unknown, done: (error?: Error) => void) => {
    instance.addHook('onRequest', (request, reply, hookDone) => {
      let context: HostRequest | undefined;
      try {
        context = host.beginNodeRequest(
          request.raw,
          reply.raw,
          () => request.routeOptions.url ?? null,
        );
      } catch (error) {
        host.report('middleware', 'genmeta: cost logging skipped for a request', error);
      }
      if (context !== undefined) contexts.set(request, context);
      // Entered (also as `undefined`) so that nothing of an earlier request on this
      // connection is still the current context.
      host.enter(context);
      hookDone();
    });
    // A parsed body resumes the request elsewhere: enter its context again right before the handler.
    instance.addHook('preHandler', (request, _reply, hookDone) => {
      host.enter(contexts.get(request));
      hookDone();
    });
    instance.addHook('onClose', (_instance, hookDone) => {
      logger.close().then(() => hookDone(), hookDone);
    });
    done();
  };
  Object.defineProperties(plugin, {
    [SKIP_OVERRIDE]: { value: true },
    [DISPLAY_NAME]: { value: '@genmeta/node-middleware' },
    flush: { value: () => logger.flush() },
    close: { value: (closeOptions?: CloseOptions) => logger.close(closeOptions) },
    pending: { get: () => logger.pending },
  });
  return plugin as unknown as FastifyCostLogger;
}

/**
 * The generation proxy as a Fastify route handler: mount it on the path the browser's client
 * uses (`<baseUrl>/generation`). Answers exactly like the node `generationProxy` (the reply is
 * written directly, so its status, headers and JSON are the same byte for byte); `authorize`
 * gets the raw node request (`request.raw`).
 *
 * @example
 * app.get('/api/genmeta/generation', generationProxy());
 */
export function generationProxy(options: GenerationProxyOptions = {}): RouteHandlerMethod {
  const core = createProxyCore(options);
  return (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    let query: URLSearchParams;
    try {
      query = new URL(request.raw.url ?? '/', 'http://localhost').searchParams;
    } catch {
      query = new URLSearchParams(); // answered as a missing id (400)
    }
    core.answerNode(request.raw, reply.raw, query);
  };
}
