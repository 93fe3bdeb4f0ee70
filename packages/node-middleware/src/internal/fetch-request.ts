import type { CostAttributes } from '../types.js';
import {
  bindRequest,
  createRequestContext,
  type RequestContext,
  requestStorage,
} from './context.js';
import { activeOtelContext } from './otel-context.js';
import type { RequestFacts } from './record.js';
import {
  attributesFor,
  endRequest,
  isSkipped,
  type RequestHookOptions,
  requestIdFor,
  requestIdOf,
} from './request-hook.js';
import { watchBody } from './watch-body.js';

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

/** A fetch-style request in progress. */
export interface FetchRequest {
  readonly context: RequestContext;
  /**
   * The response to hand to the host: the same status, headers and bytes, with `x-request-id`
   * (unless the handler set one); its record starts once its body was sent or cancelled.
   */
  respond(response: Response): Response;
  /** The handler failed before answering: the record starts now, with status 500. */
  fail(): void;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

/** Begins a fetch-style request; undefined when `skip` says so. Throws only on internal faults. */
export function beginFetchRequest<R extends Request>(
  hook: RequestHookOptions,
  request: R,
  options: FetchRequestOptions<R>,
): FetchRequest | undefined {
  const { report } = hook;
  const { skip, requestId: produceId } = options;
  if (skip && isSkipped(report, () => skip(request))) return undefined;
  const requestId = produceId
    ? requestIdFor(report, () => produceId(request))
    : requestIdOf(request.headers.get('x-request-id'));
  const startedAt = Date.now();
  const start = performance.now();
  const context = createRequestContext(requestId, activeOtelContext(), hook.tracker);
  bindRequest(request, context);
  let ended = false;

  // Handed to the host's waitUntil as soon as there is a response (or a failure), while the
  // request is surely alive; resolved once the record is out (or there is none).
  let recordDone: (() => void) | undefined;
  const keepAlive = (): void => {
    const { waitUntil } = options;
    if (waitUntil === undefined || recordDone !== undefined) return;
    const done = new Promise<void>((resolve) => {
      recordDone = resolve;
    });
    try {
      waitUntil(done);
    } catch (error) {
      recordDone = undefined;
      report('waitUntil', 'genmeta: the waitUntil option threw (reported once)', error);
    }
  };

  const end = (statusCode: number, aborted: boolean, response?: Response): void => {
    if (ended) return;
    ended = true;
    let route: string | null = null;
    try {
      route = options.route?.() ?? null;
    } catch (error) {
      report('route', 'genmeta: reading the route pattern failed', error);
    }
    const produce = options.attributes;
    const attributes = produce && attributesFor(hook, context, () => produce(request, response));
    const facts: RequestFacts = {
      requestId,
      method: request.method,
      path: pathOf(request.url),
      route,
      statusCode,
      aborted,
      startedAt,
      durationMs: Math.round((performance.now() - start) * 1000) / 1000,
      attributes,
    };
    endRequest(hook, context, facts, recordDone);
  };

  const respond = (response: Response): Response => {
    keepAlive();
    let answer: Response;
    try {
      const headers = new Headers(response.headers);
      if (!headers.has('x-request-id')) headers.set('x-request-id', requestId);
      const body =
        response.body === null
          ? null
          : watchBody(response.body, context, (aborted) => end(response.status, aborted, response));
      answer = new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
      if (body === null) end(response.status, false, response);
    } catch (error) {
      // e.g. Response.error() (status 0) cannot be rebuilt: hand it on untouched
      report('respond', 'genmeta: a response could not be watched; its record starts now', error);
      end(response.status, false, response);
      return response;
    }
    return answer;
  };

  return {
    context,
    respond,
    fail: () => {
      keepAlive();
      end(500, true);
    },
  };
}

/**
 * Runs a fetch-style handler in a request's context and watches its response; errors of the
 * handler reach the caller unchanged.
 */
export async function runFetchHandler<R extends Request, Rest extends unknown[]>(
  hook: RequestHookOptions,
  options: FetchRequestOptions<R>,
  handler: (request: R, ...rest: Rest) => Response | Promise<Response>,
  request: R,
  rest: Rest,
): Promise<Response> {
  let started: FetchRequest | undefined;
  try {
    started = beginFetchRequest(hook, request, options);
  } catch (error) {
    hook.report('middleware', 'genmeta: cost logging skipped for a request', error);
  }
  if (started === undefined) return handler(request, ...rest);
  let response: Response;
  try {
    response = await requestStorage.run(started.context, () => handler(request, ...rest));
  } catch (error) {
    started.fail();
    throw error;
  }
  if (!(response instanceof Response)) {
    started.fail();
    return response;
  }
  return started.respond(response);
}
