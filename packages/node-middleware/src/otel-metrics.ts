import type { OtelAttributeValue } from './otel-sink.js';
import type { CostRecord, CostRecordGeneration, RecordSink } from './types.js';

type Attributes = Record<string, OtelAttributeValue>;

/** The part of an OpenTelemetry `Counter` the sink uses. */
export interface OtelCounterLike {
  add(value: number, attributes?: Attributes): void;
}

/** The part of an OpenTelemetry `Histogram` the sink uses. */
export interface OtelHistogramLike {
  record(value: number, attributes?: Attributes): void;
}

/** The part of an OpenTelemetry `Meter` the sink uses (a real `Meter` fits). */
export interface OtelMeterLike {
  createCounter(name: string, options?: { description?: string; unit?: string }): OtelCounterLike;
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
}

/** Bucket boundaries the GenAI semantic conventions advise for token counts. */
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

interface Instruments {
  cost: OtelCounterLike;
  unknownCost: OtelCounterLike;
  generations: OtelCounterLike;
  tokens: OtelHistogramLike;
}

function createInstruments(meter: OtelMeterLike): Instruments {
  return {
    cost: meter.createCounter('genmeta.cost', {
      unit: 'USD',
      description: 'Known spend of OpenRouter generations (BYOK-aware, never double counted)',
    }),
    unknownCost: meter.createCounter('genmeta.cost.unknown', {
      unit: '{generation}',
      description: 'Generations whose spend is unknown (not in genmeta.cost)',
    }),
    generations: meter.createCounter('genmeta.generations', {
      unit: '{generation}',
      description: 'Tracked generations by outcome: resolved, or unresolved with its reason',
    }),
    tokens: meter.createHistogram('gen_ai.client.token.usage', {
      unit: '{token}',
      description: 'Tokens used per generation, by gen_ai.token.type (input, output)',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
  };
}

/**
 * A record sink that records OpenTelemetry metrics of each cost record:
 * - `genmeta.cost` (counter, `USD`): known spend (a resolved generation's spend, or an
 *   unresolved one's inline spend);
 * - `genmeta.cost.unknown` (counter): generations whose spend is unknown;
 * - `genmeta.generations` (counter): generations by `genmeta.outcome` (`resolved`,
 *   `unresolved` with `genmeta.unresolved.reason`);
 * - `gen_ai.client.token.usage` (histogram, `{token}`): prompt and completion tokens, by
 *   `gen_ai.token.type` (`input`, `output`).
 *
 * Every series carries `gen_ai.operation.name`, `gen_ai.provider.name` (`openrouter`),
 * `gen_ai.response.model`, `openrouter.provider_name`, `http.route` and
 * `http.response.status_code` where known, plus the record attributes listed in
 * `attributeKeys`. `@opentelemetry/api` is an optional peer dependency, loaded on the first
 * record unless a `meter` is given; without it each record fails with a clear error (reported
 * once).
 *
 * @example
 * app.use(costLogger({ onRecord: [otelSink(), otelMetrics({ attributeKeys: ['feature'] })] }));
 */
export function otelMetrics(options: OtelMetricsOptions = {}): RecordSink {
  const meterName = options.meterName ?? '@genmeta/node-middleware';
  const attributeKeys = [...(options.attributeKeys ?? [])];
  let instruments: Instruments | undefined =
    options.meter === undefined ? undefined : createInstruments(options.meter);
  let loading: Promise<Instruments> | undefined;
  const load = (): Promise<Instruments> => {
    loading ??= import('@opentelemetry/api').then(
      (api) => {
        instruments = createInstruments(api.metrics.getMeter(meterName));
        return instruments;
      },
      () => {
        throw new Error(
          'otelMetrics() needs the optional peer dependency @opentelemetry/api: install it, or pass a meter',
        );
      },
    );
    return loading;
  };

  function requestAttributes(record: CostRecord): Attributes {
    const attributes: Attributes = {
      'gen_ai.provider.name': 'openrouter',
      'http.response.status_code': record.statusCode,
    };
    if (record.route !== null) attributes['http.route'] = record.route;
    for (const key of attributeKeys) {
      const value = record.attributes?.[key];
      if (value !== undefined) attributes[`genmeta.attribute.${key}`] = value;
    }
    return attributes;
  }

  function generationAttributes(base: Attributes, generation: CostRecordGeneration): Attributes {
    const attributes: Attributes = {
      ...base,
      'gen_ai.operation.name': generation.api_type === 'embeddings' ? 'embeddings' : 'chat',
      'gen_ai.response.model': generation.model,
    };
    if (generation.provider !== null) attributes['openrouter.provider_name'] = generation.provider;
    return attributes;
  }

  function recordMetrics(found: Instruments, record: CostRecord): void {
    const base = requestAttributes(record);
    for (const generation of record.generations) {
      const attributes = generationAttributes(base, generation);
      if (generation.spendUsd === null) found.unknownCost.add(1, attributes);
      else found.cost.add(generation.spendUsd, attributes);
      found.generations.add(1, { ...attributes, 'genmeta.outcome': 'resolved' });
      const { prompt, completion } = generation.tokens;
      if (prompt !== null)
        found.tokens.record(prompt, { ...attributes, 'gen_ai.token.type': 'input' });
      if (completion !== null) {
        found.tokens.record(completion, { ...attributes, 'gen_ai.token.type': 'output' });
      }
    }
    for (const entry of record.unresolved) {
      const attributes: Attributes = { ...base, 'gen_ai.operation.name': 'chat' };
      if (entry.inlineSpendUsd === undefined) found.unknownCost.add(1, attributes);
      else found.cost.add(entry.inlineSpendUsd, attributes);
      found.generations.add(1, {
        ...attributes,
        'genmeta.outcome': 'unresolved',
        'genmeta.unresolved.reason': entry.reason,
      });
    }
  }

  // Synchronous once the instruments exist: no promise per record on the hot path.
  return (record) => {
    if (instruments !== undefined) {
      recordMetrics(instruments, record);
      return;
    }
    return load().then((found) => recordMetrics(found, record));
  };
}
