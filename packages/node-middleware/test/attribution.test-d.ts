import { createServer } from 'node:http';
import { createRedisStores } from '@genmeta/redis';
import type { Meter } from '@opentelemetry/api';
import express5 from 'express';
import express4 from 'express4';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type CostAttributes,
  type CostRecord,
  costLogger,
  createMemorySpendStore,
  type GenmetaLocals,
  otelMetrics,
  type RecordSink,
  type SpendLimiter,
  type SpendLimitStatus,
  type SpendStore,
  setCostAttributes,
  spendLimit,
} from '../src/index.js';

describe('attribution, metrics and spend limit types', () => {
  it('types attributes on records, the option, setCostAttributes and res.locals', () => {
    costLogger({ attributes: (request) => ({ user: String(request.headers['x-user']), tier: 2 }) });
    expectTypeOf(setCostAttributes).parameter(0).toEqualTypeOf<CostAttributes>();
    expectTypeOf(setCostAttributes({ beta: true })).toEqualTypeOf<boolean>();
    // @ts-expect-error objects are not attribute values
    setCostAttributes({ nested: { no: true } });
    expectTypeOf<CostRecord['attributes']>().toEqualTypeOf<CostAttributes>();
    expectTypeOf<GenmetaLocals['setAttributes']>().returns.toEqualTypeOf<boolean>();
  });

  it('accepts a real Meter', () => {
    const meter = {} as Meter;
    expectTypeOf(otelMetrics({ meter, attributeKeys: ['feature'] })).toEqualTypeOf<RecordSink>();
  });

  it('plugs spendLimit into Express 4, Express 5, node:http and fetch-style hosts', async () => {
    const logger = costLogger();
    const limiter = spendLimit({ logger, key: () => 'u', limitUsd: 1, windowMs: 60_000 });
    express5().use(limiter);
    express4().use(limiter);
    createServer((request, response) => limiter(request, response, () => response.end()));
    expectTypeOf(limiter).toExtend<SpendLimiter>();
    expectTypeOf(limiter.fetch(new Request('http://x'))).toEqualTypeOf<
      Promise<Response | undefined>
    >();
    const handled = limiter.handle((_request: Request, context: { params: string }) =>
      Response.json(context),
    );
    expectTypeOf(handled).toEqualTypeOf<
      (request: Request, context: { params: string }) => Promise<Response>
    >();
    expectTypeOf(limiter.status('u')).toEqualTypeOf<Promise<SpendLimitStatus>>();
    // @genmeta/redis's spend store and the memory one are SpendStores
    const stores = createRedisStores({ url: 'redis://127.0.0.1:1' });
    spendLimit({ logger, key: () => 'u', limitUsd: 1, windowMs: 1, store: stores.spend });
    expectTypeOf(createMemorySpendStore()).toExtend<SpendStore>();
    // calendar windows and number keys
    spendLimit({ logger, key: () => 42, limitUsd: 1, window: 'month' });
    spendLimit({ logger, key: () => 'u', limitUsd: 1, window: { windowMs: 40 * 86_400_000 } });
    // @ts-expect-error: a window is 'day', 'week', 'month' or { windowMs }
    spendLimit({ logger, key: () => 'u', limitUsd: 1, window: 'year' });
    await stores.close();
  });
});
