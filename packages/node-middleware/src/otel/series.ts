import type { OtelAttributeValue } from './types.js';

export type Attributes = Record<string, OtelAttributeValue>;

/** One label set's running sums, and its attribute objects built once. */
export interface Series {
  /** for genmeta.cost and genmeta.cost.unknown */
  readonly attributes: Attributes;
  /** for genmeta.generations (`genmeta.outcome`, and the reason when unresolved) */
  readonly outcomeAttributes: Attributes;
  /** for gen_ai.client.token.usage, by gen_ai.token.type */
  readonly inputAttributes: Attributes;
  readonly outputAttributes: Attributes;
  costUsd: number;
  costSeen: boolean;
  unknownCost: number;
  generations: number;
}

/** The attribute the OpenTelemetry SDK puts on the series past its cardinality limit. */
const OVERFLOW_ATTRIBUTE = 'otel.metric.overflow';

/** Keys in sorted order: the SDK sorts them on each histogram call, and sorted input is cheap. */
function sorted(attributes: Attributes): Attributes {
  const result: Attributes = {};
  for (const key of Object.keys(attributes).sort()) result[key] = attributes[key]!;
  return result;
}

function createSeries(attributes: Attributes, outcome: Attributes): Series {
  return {
    attributes,
    outcomeAttributes: { ...attributes, ...outcome },
    inputAttributes: sorted({ ...attributes, 'gen_ai.token.type': 'input' }),
    outputAttributes: sorted({ ...attributes, 'gen_ai.token.type': 'output' }),
    costUsd: 0,
    costSeen: false,
    unknownCost: 0,
    generations: 0,
  };
}

/**
 * Running sums per label set, looked up by a string key: a record adds to plain numbers, and the
 * observable counters report them when the metrics are collected (no attribute hashing per
 * record). At most `maxSeries` label sets; later ones add to one overflow series.
 */
export function createSeriesTable(maxSeries: number) {
  const table = new Map<string, Series>();
  let overflow: Series | undefined;
  return {
    /** The series of `key`; `build` makes its attributes the first time it is seen. */
    get(key: string, build: () => [Attributes, Attributes]): Series {
      const found = table.get(key);
      if (found !== undefined) return found;
      if (table.size >= maxSeries) {
        overflow ??= createSeries({ [OVERFLOW_ATTRIBUTE]: true }, { [OVERFLOW_ATTRIBUTE]: true });
        return overflow;
      }
      const [attributes, outcome] = build();
      const series = createSeries(attributes, outcome);
      table.set(key, series);
      return series;
    },
    forEach(visit: (series: Series) => void): void {
      for (const series of table.values()) visit(series);
      if (overflow !== undefined) visit(overflow);
    },
  };
}
