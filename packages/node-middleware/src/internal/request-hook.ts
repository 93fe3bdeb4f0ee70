import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CostAttributes, GenmetaLocals, InlineUsage } from '../types.js';
import { mergeAttributes } from './attributes.js';
import {
  createRequestContext,
  inlineFromApp,
  type RequestContext,
  setAttributesInContext,
  type Tracker,
  trackInContext,
} from './context.js';
import { activeOtelContext } from './otel-context.js';
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

export function defaultRequestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)
    ? incoming
    : randomUUID();
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
  /** the response is over (`close`): the record starts its life */
  readonly finish: (context: RequestContext, facts: RequestFacts) => void;
}

/**
 * Begins a request: its context, `x-request-id`, `res.locals.genmeta`, and a `close` listener
 * that hands the record to the pipeline. Returns undefined for skipped requests.
 */
export function beginRequest(
  options: RequestHookOptions,
  request: IncomingMessage,
  response: ServerResponse,
): RequestContext | undefined {
  const { report } = options;
  if (options.skip) {
    let skipped = false;
    try {
      skipped = options.skip(request) === true;
    } catch (error) {
      report('skip', 'genmeta: the skip option threw', error);
    }
    if (skipped) return undefined;
  }
  let requestId: string;
  try {
    requestId = String(options.requestId(request));
  } catch (error) {
    report('requestId', 'genmeta: the requestId option threw', error);
    requestId = randomUUID();
  }
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
    const inFlight = context.fetchesInFlight;
    if (context.ids.length === 0 && !options.emitEmpty && (inFlight?.size ?? 0) === 0) {
      context.sealed = true;
      return;
    }
    try {
      let attributes: CostAttributes | undefined;
      if (options.attributes !== undefined) {
        try {
          const given = options.attributes(request, response);
          attributes = mergeAttributes(undefined, given, options.tracker.invalidAttribute);
        } catch (error) {
          report('attributes', 'genmeta: the attributes option threw (reported once)', error);
        }
      }
      options.finish(context, {
        requestId,
        method: request.method ?? 'GET',
        path: pathOf(request),
        route: routeOf(request),
        statusCode: response.statusCode,
        aborted: !response.writableFinished,
        startedAt,
        durationMs: Math.round((performance.now() - start) * 1000) / 1000,
        attributes,
      });
    } catch (error) {
      context.sealed = true;
      report('schedule', 'genmeta: a cost record failed', error);
    }
  });
  return context;
}
