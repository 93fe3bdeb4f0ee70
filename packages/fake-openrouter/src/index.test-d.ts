import { describe, expectTypeOf, it } from 'vitest';
import {
  type FakeCall,
  type FakeGeneration,
  type FakeOpenRouter,
  type FakeOpenRouterOptions,
  type FaultStep,
  startFakeOpenRouter,
} from './index.js';

describe('public types', () => {
  it('startFakeOpenRouter resolves to a FakeOpenRouter', () => {
    expectTypeOf(startFakeOpenRouter).returns.resolves.toEqualTypeOf<FakeOpenRouter>();
    expectTypeOf(startFakeOpenRouter)
      .parameter(0)
      .toEqualTypeOf<FakeOpenRouterOptions | undefined>();
  });

  it('FaultStep is a union discriminated by type', () => {
    expectTypeOf<Extract<FaultStep, { type: 'slow' }>>().toEqualTypeOf<{
      type: 'slow';
      delayMs: number;
    }>();
    expectTypeOf<{ type: 'drop' }>().toExtend<FaultStep>();
    expectTypeOf<{
      type: 'status';
      status: 429;
      headers: { 'Retry-After': '1' };
    }>().toExtend<FaultStep>();
    expectTypeOf<{ type: 'slow' }>().not.toExtend<FaultStep>();
  });

  it('generations keep their id typed and accept any field', () => {
    expectTypeOf<FakeGeneration['id']>().toEqualTypeOf<string>();
    expectTypeOf<{ id: string; future: number }>().toExtend<FakeGeneration>();
    expectTypeOf<FakeOpenRouter['addGeneration']>().returns.toEqualTypeOf<FakeGeneration>();
    expectTypeOf<FakeOpenRouter['generation']>().returns.toEqualTypeOf<
      FakeGeneration | undefined
    >();
  });

  it('calls are typed records', () => {
    expectTypeOf<FakeOpenRouter['calls']>().toEqualTypeOf<FakeCall[]>();
    expectTypeOf<FakeCall['id']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<FakeCall['headers']>().toEqualTypeOf<Record<string, string>>();
  });
});
