import { createServer } from 'node:http';
import type { Tracer } from '@opentelemetry/api';
import express5 from 'express';
import express4 from 'express4';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type CostLogger,
  type CostRecord,
  type CostRecordGeneration,
  costLogger,
  createMemoryRegistry,
  createTrackingFetch,
  type GenerationRegistry,
  type GenmetaLocals,
  generationProxy,
  otelSink,
  type RecordMeta,
  type RecordSink,
  trackGeneration,
  type UnresolvedReason,
} from '../src/index.js';

describe('public types', () => {
  it('plugs into Express 4, Express 5 and node:http', () => {
    const logger = costLogger();
    const proxy = generationProxy();
    const app5 = express5();
    app5.use(logger);
    app5.use('/api/genmeta', proxy);
    const app4 = express4();
    app4.use(logger);
    app4.use('/api/genmeta', proxy);
    createServer((request, response) => logger(request, response, () => proxy(request, response)));
    expectTypeOf(logger).toExtend<CostLogger>();
    expectTypeOf(logger.flush).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(logger.pending).toEqualTypeOf<number>();
  });

  it('gives a fetch back and accepts a real Tracer', () => {
    expectTypeOf(createTrackingFetch()).toEqualTypeOf<typeof fetch>();
    expectTypeOf(trackGeneration).returns.toEqualTypeOf<boolean>();
    const tracer = {} as Tracer;
    expectTypeOf(otelSink({ tracer })).toEqualTypeOf<RecordSink>();
    costLogger({ onRecord: [otelSink(), async (record) => void record.requestId] });
  });

  it('types unknown cost as null, never as a silent 0', () => {
    expectTypeOf<CostRecord['spendUsd']>().toEqualTypeOf<number | null>();
    expectTypeOf<CostRecordGeneration['spendUsd']>().toEqualTypeOf<number | null>();
    expectTypeOf<CostRecord['unresolved'][number]['reason']>().toEqualTypeOf<UnresolvedReason>();
    expectTypeOf<'overloaded'>().toExtend<UnresolvedReason>();
    expectTypeOf<'not_found'>().toExtend<UnresolvedReason>();
    expectTypeOf<GenmetaLocals['generationIds']>().toEqualTypeOf<readonly string[]>();
  });

  it('passes the tracked flag to authorize', () => {
    generationProxy({
      authorize: (request, id, { tracked }) => {
        expectTypeOf(request.headers).toBeObject();
        expectTypeOf(id).toEqualTypeOf<string>();
        return tracked;
      },
    });
    // @ts-expect-error authorize must answer a boolean
    generationProxy({ authorize: () => 'yes' });
  });
});

describe('sinks and registries', () => {
  it('keeps one-argument sinks valid and gives two-argument sinks the meta', () => {
    const oneArgument: RecordSink = (record) => void record.requestId;
    costLogger({ onRecord: [oneArgument, (record, meta) => void [record, meta?.otelContext]] });
    expectTypeOf<Parameters<RecordSink>[1]>().toEqualTypeOf<RecordMeta | undefined>();
  });

  it('takes sync and async registries on both factories', () => {
    const sync: GenerationRegistry = { add: () => undefined, has: () => true };
    const async: GenerationRegistry = { add: async () => undefined, has: async () => true };
    costLogger({ registry: sync });
    generationProxy({ registry: async });
    costLogger({ registry: createMemoryRegistry({ maxEntries: 10 }) });
  });
});

describe('createTrackingFetch', () => {
  it('takes options first, and still the fetch first', () => {
    expectTypeOf(
      createTrackingFetch({ fetch, baseUrl: 'https://openrouter.ai/api/v1' }),
    ).toEqualTypeOf<typeof fetch>();
    expectTypeOf(createTrackingFetch(fetch)).toEqualTypeOf<typeof fetch>();
    expectTypeOf(createTrackingFetch(fetch, { baseUrl: ['a', 'b'] })).toEqualTypeOf<typeof fetch>();
    expectTypeOf(createTrackingFetch(undefined, { baseUrl: 'x' })).toEqualTypeOf<typeof fetch>();
    // @ts-expect-error the base URL is a string or a list of strings
    createTrackingFetch({ baseUrl: 1 });
  });
});
