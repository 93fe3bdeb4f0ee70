import { describe, expectTypeOf, it } from 'vitest';
import {
  type ExitCode,
  exitCodes,
  type RunInput,
  type RunOptions,
  type RunOutput,
  run,
  version,
} from './index.js';

describe('run types', () => {
  it('resolves to an exit code', () => {
    expectTypeOf(run).parameter(0).toEqualTypeOf<RunOptions>();
    expectTypeOf(run).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(version).toEqualTypeOf<string>();
    expectTypeOf(exitCodes.partial).toEqualTypeOf<7>();
    expectTypeOf<ExitCode>().toEqualTypeOf<0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 130 | 143>();
  });

  it('takes the process streams as they are', () => {
    expectTypeOf(process.stdout).toExtend<RunOutput>();
    expectTypeOf(process.stderr).toExtend<RunOutput>();
    expectTypeOf(process.stdin).toExtend<RunInput>();
  });

  it('takes any writer and any async iterable of text', () => {
    const lines: string[] = [];
    const writer = { write: (chunk: string) => lines.push(chunk) };
    async function* input() {
      yield 'gen-1\n';
    }
    expectTypeOf(writer).toExtend<RunOutput>();
    expectTypeOf(input()).toExtend<RunInput>();
    expectTypeOf({ argv: [], stdout: writer, stderr: writer }).toExtend<RunOptions>();
    // @ts-expect-error stdout is required
    expectTypeOf({ argv: [], stderr: writer }).toExtend<RunOptions>();
  });
});
