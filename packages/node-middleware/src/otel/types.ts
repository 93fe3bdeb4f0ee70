/** An OpenTelemetry attribute value. */
export type OtelAttributeValue = string | number | boolean | string[] | number[] | boolean[];

/** The part of an OpenTelemetry `Span` the sink uses (a real `Span` fits). */
export interface OtelSpanLike {
  setStatus(status: { code: number; message?: string }): unknown;
  end(endTime?: Date): void;
}

/** The part of an OpenTelemetry `Tracer` the sink uses (a real `Tracer` fits). */
export interface OtelTracerLike {
  /**
   * `parentContext` is the OpenTelemetry `Context` that was active when the incoming request
   * started (passed only when one was captured).
   */
  startSpan(
    name: string,
    options?: {
      kind?: number;
      startTime?: Date;
      attributes?: Record<string, OtelAttributeValue>;
    },
    parentContext?: unknown,
  ): OtelSpanLike;
}

/** Options of {@link otelSink}. */
export interface OtelSinkOptions {
  /**
   * The tracer spans are started on. When given, `@opentelemetry/api` is never loaded.
   * @default trace.getTracer(tracerName) from @opentelemetry/api, loaded on the first record
   */
  tracer?: OtelTracerLike;
  /**
   * Instrumentation scope name used when `tracer` is not given.
   * @default '@genmeta/node-middleware'
   */
  tracerName?: string;
  /**
   * Base URL of the OpenRouter API, for `server.address` / `server.port` when the record's
   * logger does not tell it (a costLogger tells its client's base URL).
   * @default process.env.OPENROUTER_BASE_URL ?? 'https://openrouter.ai/api/v1'
   */
  baseUrl?: string;
}

/** What an observable callback is handed (a real `ObservableResult` fits). */
export interface OtelObservableResultLike {
  observe(value: number, attributes?: Record<string, OtelAttributeValue>): void;
}

/** The part of an OpenTelemetry `ObservableCounter` the sink uses. */
export interface OtelObservableCounterLike {
  addCallback(callback: (result: OtelObservableResultLike) => void): void;
}

/** The part of an OpenTelemetry `Histogram` the sink uses. */
export interface OtelHistogramLike {
  record(value: number, attributes?: Record<string, OtelAttributeValue>): void;
}

/** The part of an OpenTelemetry `Meter` the sink uses (a real `Meter` fits). */
export interface OtelMeterLike {
  createObservableCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): OtelObservableCounterLike;
  createHistogram(
    name: string,
    options?: {
      description?: string;
      unit?: string;
      advice?: { explicitBucketBoundaries?: number[] };
    },
  ): OtelHistogramLike;
}

/** Options of {@link otelMetrics}. */
export interface OtelMetricsOptions {
  /**
   * The meter instruments are created on. When given, `@opentelemetry/api` is never loaded.
   * @default metrics.getMeter(meterName) from @opentelemetry/api, loaded on the first record
   */
  meter?: OtelMeterLike;
  /**
   * Instrumentation scope name used when `meter` is not given.
   * @default '@genmeta/node-middleware'
   */
  meterName?: string;
  /**
   * Record attributes (see `costLogger`'s `attributes`) to put on the series, as
   * `genmeta.attribute.<key>`. Only these: every distinct value is a new series, so list keys
   * with few values (`feature`, `plan`), not user ids.
   * @default [] (none)
   */
  attributeKeys?: readonly string[];
  /**
   * Label sets (series) kept at most per counter; past it, records add to one series marked
   * `otel.metric.overflow=true`, as the OpenTelemetry SDK does past its cardinality limit.
   * @default 2000
   */
  maxSeries?: number;
}
