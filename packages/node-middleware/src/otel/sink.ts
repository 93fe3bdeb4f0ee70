import { defaultBaseUrl } from '@genmeta/core/rules';
import type { CostRecord, CostRecordGeneration, RecordSink } from '../record/types.js';
import type { OtelAttributeValue, OtelSinkOptions, OtelTracerLike } from './types.js';

// Numeric values of @opentelemetry/api's SpanKind.CLIENT and SpanStatusCode.ERROR (stable API).
const SPAN_KIND_CLIENT = 2;
const SPAN_STATUS_ERROR = 2;

type Attributes = Record<string, OtelAttributeValue>;

function put(attributes: Attributes, key: string, value: OtelAttributeValue | null | undefined) {
  if (value !== null && value !== undefined) attributes[key] = value;
}

function operationName(generation: CostRecordGeneration): string {
  return generation.api_type === 'embeddings' ? 'embeddings' : 'chat';
}

interface Server {
  address: string;
  port: number;
}

function serverOf(baseUrl: string): Server | undefined {
  try {
    const url = new URL(baseUrl);
    const port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
    return { address: url.hostname, port };
  } catch {
    return undefined;
  }
}

/**
 * The CLIENT span describes the call to OpenRouter (`server.*`); the incoming request that made
 * it is context, so its facts are `genmeta.request.*`, not the span's own HTTP attributes.
 */
function requestAttributes(record: CostRecord, server: Server | undefined): Attributes {
  const attributes: Attributes = {
    'gen_ai.provider.name': 'openrouter',
    'genmeta.request.id': record.requestId,
    'genmeta.request.method': record.method,
    'genmeta.request.path': record.path,
  };
  put(attributes, 'genmeta.request.route', record.route);
  if (server !== undefined) {
    attributes['server.address'] = server.address;
    attributes['server.port'] = server.port;
  }
  for (const key in record.attributes) {
    attributes[`genmeta.attribute.${key}`] = record.attributes[key]!;
  }
  return attributes;
}

function generationAttributes(
  record: CostRecord,
  generation: CostRecordGeneration,
  server: Server | undefined,
): Attributes {
  const attributes = requestAttributes(record, server);
  attributes['gen_ai.operation.name'] = operationName(generation);
  attributes['gen_ai.response.id'] = generation.id;
  // Only the model the request asked for: `openrouter/auto` answers with another, never guessed.
  put(attributes, 'gen_ai.request.model', generation.requestModel);
  attributes['gen_ai.response.model'] = generation.model;
  put(attributes, 'gen_ai.usage.input_tokens', generation.tokens.prompt);
  put(attributes, 'gen_ai.usage.output_tokens', generation.tokens.completion);
  put(attributes, 'gen_ai.usage.cache_read.input_tokens', generation.tokens.cached);
  put(attributes, 'gen_ai.usage.reasoning.output_tokens', generation.tokens.reasoning);
  if (generation.finish_reason !== null) {
    attributes['gen_ai.response.finish_reasons'] = [generation.finish_reason];
  }
  put(attributes, 'genmeta.cost.usd', generation.spendUsd);
  attributes['genmeta.cost.total_cost'] = generation.total_cost;
  put(attributes, 'genmeta.cost.upstream_inference_cost', generation.upstream_inference_cost);
  attributes['genmeta.cost.byok'] = generation.is_byok;
  put(attributes, 'genmeta.cost.inline_usd', generation.inlineCostUsd);
  put(attributes, 'genmeta.provider', generation.provider);
  put(attributes, 'genmeta.latency_ms', generation.latency);
  put(attributes, 'genmeta.generation_time_ms', generation.generation_time);
  put(attributes, 'genmeta.streamed', generation.streamed);
  put(attributes, 'genmeta.cancelled', generation.cancelled);
  return attributes;
}

// Context keys of @opentelemetry/api (`createContextKey` makes `Symbol.for(description)`) and of
// @opentelemetry/core's RPC metadata, which the http instrumentation sets to its SERVER span.
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');
const RPC_METADATA_KEY = Symbol.for('OpenTelemetry SDK Context Key RPC_METADATA');

interface ContextLike {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): unknown;
}

function isContextLike(value: unknown): value is ContextLike {
  const candidate = value as Partial<ContextLike> | null;
  return typeof candidate?.getValue === 'function' && typeof candidate.setValue === 'function';
}

/**
 * The parent for generation spans: the incoming request's SERVER span. Under Express or Fastify
 * instrumentation the context active in a middleware holds a short span of that middleware
 * (already ended when the record is emitted); the http instrumentation's RPC metadata in the
 * same context still points at the SERVER span.
 */
function parentContextOf(captured: unknown): unknown {
  if (!isContextLike(captured)) return captured;
  const rpc = captured.getValue(RPC_METADATA_KEY) as { span?: unknown } | undefined;
  if (rpc?.span === undefined || rpc.span === null) return captured;
  return captured.setValue(SPAN_KEY, rpc.span);
}

function validDate(milliseconds: number, fallback: number): Date {
  return new Date(Number.isFinite(milliseconds) ? milliseconds : fallback);
}

/**
 * A record sink that turns each generation into an OpenTelemetry span following the GenAI
 * semantic conventions (`gen_ai.*`), plus `genmeta.cost.*` attributes. A span starts at the
 * generation's `created_at` and lasts its `latency`. Unresolved ids become error spans
 * (`error.type` = the reason) over the request's duration. The record's attributes are on
 * every span as `genmeta.attribute.<key>`.
 *
 * Spans are parented to the incoming request's SERVER span (found through `meta.otelContext`,
 * the context active when the request reached costLogger, even under Express or Fastify
 * instrumentation), so a wrapper sink must pass `meta` on:
 * `(record, meta) => sink(redact(record), meta)`. Spans carry `server.address`/`server.port`
 * of OpenRouter and the incoming request as `genmeta.request.*` (id, method, path, route).
 *
 * `@opentelemetry/api` is an optional peer dependency, loaded on the first record unless a
 * `tracer` is given; without it each record fails with a clear error (reported once).
 *
 * @example
 * app.use(costLogger({ onRecord: otelSink() }));
 */
export function otelSink(options: OtelSinkOptions = {}): RecordSink {
  const tracerName = options.tracerName ?? '@genmeta/node-middleware';
  const fallbackBaseUrl = (): string => options.baseUrl ?? defaultBaseUrl();
  let tracer: Promise<OtelTracerLike> | undefined;
  const getTracer = (): Promise<OtelTracerLike> => {
    if (options.tracer) return Promise.resolve(options.tracer);
    tracer ??= import('@opentelemetry/api').then(
      (api) => api.trace.getTracer(tracerName),
      () => {
        throw new Error(
          'otelSink() needs the optional peer dependency @opentelemetry/api: install it, or pass a tracer',
        );
      },
    );
    return tracer;
  };

  return async (record, meta) => {
    const activeTracer = await getTracer();
    // The context active when the request started (captured by costLogger when a context
    // manager is registered): spans join the incoming request's trace.
    const parent = parentContextOf(meta?.otelContext);
    const server = serverOf(meta?.baseUrl ?? fallbackBaseUrl());
    const requestStart = Date.parse(record.startedAt);
    for (const generation of record.generations) {
      const start = validDate(Date.parse(generation.created_at), requestStart);
      const duration = generation.latency ?? generation.generation_time ?? 0;
      const span = activeTracer.startSpan(
        `${operationName(generation)} ${generation.model}`,
        {
          kind: SPAN_KIND_CLIENT,
          startTime: start,
          attributes: generationAttributes(record, generation, server),
        },
        parent,
      );
      span.end(new Date(start.getTime() + Math.max(0, duration)));
    }
    for (const entry of record.unresolved) {
      const attributes = requestAttributes(record, server);
      attributes['gen_ai.operation.name'] = 'chat';
      attributes['gen_ai.response.id'] = entry.id;
      attributes['error.type'] = entry.reason;
      put(attributes, 'genmeta.cost.inline_usd', entry.inlineSpendUsd);
      const start = validDate(requestStart, Date.now());
      const span = activeTracer.startSpan(
        'chat',
        { kind: SPAN_KIND_CLIENT, startTime: start, attributes },
        parent,
      );
      span.setStatus({
        code: SPAN_STATUS_ERROR,
        message: `generation stats unavailable: ${entry.reason}`,
      });
      span.end(new Date(start.getTime() + record.durationMs));
    }
  };
}
