import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CostAttributes, GenmetaLocals, InlineUsage } from '../types.js';
import { mergeAttributes } from './attributes.js';
import {
  createRequestContext,
  inlineFromApp,
  type RequestContext,
  sealContext,
  setAttributesInContext,
  type Tracker,
  trackInContext,
} from './context.js';
import { activeOtelContext } from './otel-context.js';
import { randomId } from './platform.js';
import type { RequestFacts } from './record.js';
import type { Reporter } from './report.js';

interface ExpressLikeRequest {
  originalUrl?: unknown;
  baseUrl?: unknown;
  route?: { path?: unknown } | undefined;
}

interface ResponseWithLocals {
  locals?: Record<string, unknown>;
}

const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** An incoming `x-request-id` when it is 1 to 128 printable ASCII characters, else a UUID. */
export function requestIdOf(incoming: unknown): string {
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomId();
}

export function defaultRequestId(request: IncomingMessage): string {
  return requestIdOf(request.headers['x-request-id']);
}

function pathOf(request: IncomingMessage): string {
  const { originalUrl } = request as ExpressLikeRequest;
  const url = typeof originalUrl === 'string' ? originalUrl : (request.url ?? '/');
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function routeOf(request: IncomingMessage): string | null {
  const { route, baseUrl } = request as ExpressLikeRequest;
  const path = route?.path;
  if (typeof path !== 'string') return null;
  return `${typeof baseUrl === 'string' ? baseUrl : ''}${path}`;
}

export interface RequestHookOptions {
  readonly skip: ((request: IncomingMessage) => boolean) | undefined;
  readonly requestId: (request: IncomingMessage) => string;
  readonly emitEmpty: boolean;
  readonly attributes:
    | ((request: IncomingMessage, response: ServerResponse) => CostAttributes | undefined)
    | undefined;
  readonly tracker: Tracker;
  readonly report: Reporter;
  /**
   * the response is over (`close`): the record starts its life; with `onDone`, within the
   * current request, calling it once done (see the record pipeline)
   */
  readonly finish: (context: RequestContext, facts: RequestFacts, onDone?: () => void) => void;
}

/** A request has a record when it tracked an id, may still track one, or `emitEmpty` is set. */
export function willHaveRecord(options: RequestHookOptions, context: RequestContext): boolean {
  return (
    context.ids.length > 0 ||
    options.emitEmpty ||
    (context.fetchesInFlight?.size ?? 0) > 0 ||
    context.endedUnresolved !== undefined
  );
}

/**
 * The response of a request is over: its record starts its life, unless it tracked nothing
 * (and nothing it started may still track).
 */
export function endRequest(
  options: RequestHookOptions,
  context: RequestContext,
  facts: RequestFacts,
  onDone?: () => void,
): void {
  if (!willHaveRecord(options, context)) {
    sealContext(context);
    onDone?.();
    return;
  }
  try {
    options.finish(context, facts, onDone);
  } catch (error) {
    context.sealed = true;
    options.report('schedule', 'genmeta: a cost record failed', error);
    onDone?.();
  }
}

/** Whether a host's `skip` option says to pass the request through; a throw means no. */
export function isSkipped(report: Reporter, skip: () => boolean): boolean {
  try {
    return skip() === true;
  } catch (error) {
    report('skip', 'genmeta: the skip option threw', error);
    return false;
  }
}

/** The request id a host's `requestId` option produces; a random UUID when it throws. */
export function requestIdFor(report: Reporter, produce: () => unknown): string {
  try {
    return String(produce());
  } catch (error) {
    report('requestId', 'genmeta: the requestId option threw', error);
    return randomId();
  }
}

/**
 * The record's attributes from a host's `attributes` option, validated; asked only for a
 * request that will have a record (the others cost no call), and a throw is reported once.
 */
export function attributesFor(
  options: RequestHookOptions,
  context: RequestContext,
  produce: () => CostAttributes | undefined,
): CostAttributes | undefined {
  if (!willHaveRecord(options, context)) return undefined;
  try {
    return mergeAttributes(undefined, produce(), options.tracker.invalidAttribute);
  } catch (error) {
    options.report('attributes', 'genmeta: the attributes option threw (reported once)', error);
    return undefined;
  }
}

/**
 * Begins a request: its context, `x-request-id`, `res.locals.genmeta`, and a `close` listener
 * that hands the record to the pipeline. Returns undefined for skipped requests. `route` gives
 * the route pattern for hosts other than Express (Fastify's `routeOptions.url`).
 */
export function beginRequest(
  options: RequestHookOptions,
  request: IncomingMessage,
  response: ServerResponse,
  route: (request: IncomingMessage) => string | null = routeOf,
): RequestContext | undefined {
  const { report } = options;
  if (options.skip && isSkipped(report, () => options.skip!(request))) return undefined;
  const requestId = requestIdFor(report, () => options.requestId(request));
  const startedAt = Date.now();
  const start = performance.now();
  const context = createRequestContext(requestId, activeOtelContext(), options.tracker);
  try {
    if (!response.headersSent) response.setHeader('x-request-id', requestId);
  } catch (error) {
    // a custom requestId with characters a header cannot carry
    report('requestIdHeader', 'genmeta: the request id cannot be sent as a header', error);
  }
  const locals: GenmetaLocals = {
    requestId,
    generationIds: context.ids,
    track: (id: string, inline?: InlineUsage) => trackInContext(context, id, inlineFromApp(inline)),
    setAttributes: (attributes: CostAttributes) => setAttributesInContext(context, attributes),
  };
  const withLocals = response as ServerResponse & ResponseWithLocals;
  withLocals.locals ??= {};
  withLocals.locals.genmeta = locals;

  // Node emits `close` on every response: after `finish`, or when the client went away.
  response.on('close', () => {
    let facts: RequestFacts;
    try {
      const produce = options.attributes;
      const attributes =
        produce && attributesFor(options, context, () => produce(request, response));
      facts = {
        requestId,
        method: request.method ?? 'GET',
        path: pathOf(request),
        route: route(request),
        statusCode: response.statusCode,
        aborted: !response.writableFinished,
        startedAt,
        durationMs: Math.round((performance.now() - start) * 1000) / 1000,
        attributes,
      };
    } catch (error) {
      context.sealed = true;
      report('schedule', 'genmeta: a cost record failed', error);
      return;
    }
    endRequest(options, context, facts);
  });
  return context;
}
