import { roundUsd } from '@genmeta/core/rules';
import type { CostRecord, CostRecordGeneration, RecordSink } from '../record/types.js';
import { type Attributes, createSeriesTable, type Series } from './series.js';
import type {
  OtelHistogramLike,
  OtelMeterLike,
  OtelMetricsOptions,
  OtelObservableResultLike,
} from './types.js';

/** Bucket boundaries the GenAI semantic conventions advise for token counts. */
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const SEPARATOR = '\u0000';

type Table = ReturnType<typeof createSeriesTable>;

function createInstruments(meter: OtelMeterLike, resolved: Table, unresolved: Table) {
  const observeEach =
    (
      pick: (series: Series) => number | undefined,
      attributes: 'attributes' | 'outcomeAttributes',
    ) =>
    (result: OtelObservableResultLike) => {
      for (const table of [resolved, unresolved]) {
        table.forEach((series) => {
          const value = pick(series);
          if (value !== undefined) result.observe(value, series[attributes]);
        });
      }
    };
  meter
    .createObservableCounter('genmeta.cost', {
      unit: 'USD',
      description: 'Known spend of OpenRouter generations (BYOK-aware, never double counted)',
    })
    .addCallback(
      observeEach(
        (series) => (series.costSeen ? roundUsd(series.costUsd) : undefined),
        'attributes',
      ),
    );
  meter
    .createObservableCounter('genmeta.cost.unknown', {
      unit: '{generation}',
      description: 'Generations whose spend is unknown (not in genmeta.cost)',
    })
    .addCallback(
      observeEach(
        (series) => (series.unknownCost > 0 ? series.unknownCost : undefined),
        'attributes',
      ),
    );
  meter
    .createObservableCounter('genmeta.generations', {
      unit: '{generation}',
      description: 'Tracked generations by outcome: resolved, or unresolved with its reason',
    })
    .addCallback(
      observeEach(
        (series) => (series.generations > 0 ? series.generations : undefined),
        'outcomeAttributes',
      ),
    );
  return meter.createHistogram('gen_ai.client.token.usage', {
    unit: '{token}',
    description: 'Tokens used per generation, by gen_ai.token.type (input, output)',
    advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
  });
}

function addSpend(series: Series, spendUsd: number | null | undefined): void {
  series.generations += 1;
  if (spendUsd === null || spendUsd === undefined) series.unknownCost += 1;
  else {
    series.costUsd += spendUsd;
    series.costSeen = true;
  }
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
 * `attributeKeys`. The counters are observable (sums kept here per label set, reported at each
 * collection), so a record costs a few additions and two histogram calls.
 * `@opentelemetry/api` is an optional peer dependency, loaded on the first record unless a
 * `meter` is given; without it each record fails with a clear error (reported once).
 *
 * @example
 * app.use(costLogger({ onRecord: [otelSink(), otelMetrics({ attributeKeys: ['feature'] })] }));
 */
export function otelMetrics(options: OtelMetricsOptions = {}): RecordSink {
  const meterName = options.meterName ?? '@genmeta/node-middleware';
  const attributeKeys = [...(options.attributeKeys ?? [])];
  const maxSeries = options.maxSeries ?? 2000;
  if (!Number.isInteger(maxSeries) || maxSeries < 1) {
    throw new RangeError(
      `otelMetrics: option "maxSeries" must be an integer from 1 (got ${String(maxSeries)})`,
    );
  }
  const resolved = createSeriesTable(maxSeries);
  const unresolved = createSeriesTable(maxSeries);
  let tokens: OtelHistogramLike | undefined =
    options.meter === undefined
      ? undefined
      : createInstruments(options.meter, resolved, unresolved);
  let loading: Promise<OtelHistogramLike> | undefined;
  const load = (): Promise<OtelHistogramLike> => {
    loading ??= import('@opentelemetry/api').then(
      (api) => {
        tokens = createInstruments(api.metrics.getMeter(meterName), resolved, unresolved);
        return tokens;
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

  /** The label key of a record's request part (status, route, listed attributes). */
  function requestKey(record: CostRecord): string {
    let key = `${record.statusCode}${SEPARATOR}${record.route ?? ''}`;
    for (const name of attributeKeys) {
      const value = record.attributes?.[name];
      // typed: the string "1" and the number 1 are different label values
      key += value === undefined ? `${SEPARATOR}-` : `${SEPARATOR}${typeof value}:${value}`;
    }
    return key;
  }

  function operationOf(generation: CostRecordGeneration): string {
    return generation.api_type === 'embeddings' ? 'embeddings' : 'chat';
  }

  function recordMetrics(histogram: OtelHistogramLike, record: CostRecord): void {
    const base = requestKey(record);
    for (const generation of record.generations) {
      const operation = operationOf(generation);
      const key = `${base}${SEPARATOR}${operation}${SEPARATOR}${generation.model}${SEPARATOR}${generation.provider ?? ''}`;
      const series = resolved.get(key, () => {
        const attributes = requestAttributes(record);
        attributes['gen_ai.operation.name'] = operation;
        attributes['gen_ai.response.model'] = generation.model;
        if (generation.provider !== null)
          attributes['openrouter.provider_name'] = generation.provider;
        return [attributes, { 'genmeta.outcome': 'resolved' }];
      });
      addSpend(series, generation.spendUsd);
      const { prompt, completion } = generation.tokens;
      if (prompt !== null) histogram.record(prompt, series.inputAttributes);
      if (completion !== null) histogram.record(completion, series.outputAttributes);
    }
    for (const entry of record.unresolved) {
      const series = unresolved.get(`${base}${SEPARATOR}${entry.reason}`, () => {
        const attributes = requestAttributes(record);
        attributes['gen_ai.operation.name'] = 'chat';
        return [
          attributes,
          { 'genmeta.outcome': 'unresolved', 'genmeta.unresolved.reason': entry.reason },
        ];
      });
      addSpend(series, entry.inlineSpendUsd);
    }
  }

  // Synchronous once the instruments exist: no promise per record on the hot path.
  return (record) => {
    if (tokens !== undefined) {
      recordMetrics(tokens, record);
      return;
    }
    return load().then((histogram) => recordMetrics(histogram, record));
  };
}
