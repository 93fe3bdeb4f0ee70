import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reporter } from '../logger/report.js';
import { type RequestContext, requestStorage } from '../record/context.js';
import { beginFetchRequest } from './fetch-request.js';
import { beginRequest, type RequestHookOptions } from './request-hook.js';
import type { CostLoggerHost, HostFetchRequest, HostRequest } from './types.js';

/** A request begun on a host is its context; outside this file it is only a `HostRequest`. */
function contextOf(request: HostRequest): RequestContext {
  return request as RequestContext;
}

/**
 * The host seam of one costLogger over its request hooks: what Express/node:http (the
 * middleware itself), fetch-style handlers (`handle`), the Fastify and Hono adapters and
 * `spendLimit` use, and what a third-party adapter may use.
 */
export function createHost(hook: RequestHookOptions): CostLoggerHost {
  const { tracker } = hook;
  const report: Reporter = hook.report;
  return {
    beginNodeRequest(request: IncomingMessage, response: ServerResponse, route) {
      return beginRequest(hook, request, response, route);
    },
    beginFetchRequest(request, options = {}): HostFetchRequest | undefined {
      const started = beginFetchRequest(hook, request, options);
      if (started === undefined) return undefined;
      return { request: started.context, respond: started.respond, fail: started.fail };
    },
    enter(request) {
      requestStorage.enterWith(request === undefined ? undefined : contextOf(request));
    },
    run(request, work) {
      return requestStorage.run(request === undefined ? undefined : contextOf(request), work);
    },
    currentRequest() {
      const context = requestStorage.getStore();
      return context !== undefined && context.tracker === tracker ? context : undefined;
    },
    observeSpend(request, observer) {
      const context = contextOf(request);
      if (context.tracker !== tracker) return false;
      context.spendObservers ??= [];
      context.spendObservers.push(observer);
      // ids tracked before the observer came (an earlier middleware) count too
      for (const id of context.ids) observer.tracked(id, context.inline?.get(id));
      return true;
    },
    report(key, message, error) {
      report(key, message, error);
    },
    warn(details, message) {
      report.always(details, message);
    },
  };
}

/**
 * The host of what claims to be a costLogger, or undefined for anything else (`spendLimit`'s
 * option check names the option then).
 */
export function hostOf(logger: unknown): CostLoggerHost | undefined {
  if (typeof logger !== 'function' && (typeof logger !== 'object' || logger === null)) {
    return undefined;
  }
  const { host } = logger as { host?: Partial<CostLoggerHost> };
  return typeof host === 'object' &&
    host !== null &&
    typeof host.beginNodeRequest === 'function' &&
    typeof host.observeSpend === 'function'
    ? (host as CostLoggerHost)
    : undefined;
}
