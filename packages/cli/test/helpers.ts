import { Readable } from 'node:stream';
import { type RunOptions, run } from '../src/index.js';

/** A captured output stream. */
export interface CapturedOutput {
  write(chunk: string): boolean;
  isTTY: boolean;
  columns: number | undefined;
  text(): string;
}

export function captureOutput(options: { isTTY?: boolean; columns?: number } = {}): CapturedOutput {
  let text = '';
  return {
    write(chunk: string) {
      text += chunk;
      return true;
    },
    isTTY: options.isTTY ?? false,
    columns: options.columns,
    text: () => text,
  };
}

/** stdin carrying `text`, split into small chunks to exercise line reassembly. */
export function stdinFrom(text: string, options: { isTTY?: boolean } = {}): RunOptions['stdin'] {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += 7)
    chunks.push(bytes.subarray(start, start + 7));
  const stream = Readable.from(chunks) as Readable & { isTTY?: boolean };
  stream.isTTY = options.isTTY ?? false;
  return stream;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  columns?: number;
  signal?: AbortSignal;
  cwd?: string;
}

/** Calls `run()` with captured streams and no ambient environment. */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const stdout = captureOutput({
    isTTY: options.stdoutIsTTY ?? false,
    ...(options.columns !== undefined && { columns: options.columns }),
  });
  const stderr = captureOutput({ isTTY: options.stderrIsTTY ?? false });
  const code = await run({
    argv,
    env: options.env ?? {},
    stdin:
      options.stdin !== undefined
        ? stdinFrom(options.stdin, { isTTY: options.stdinIsTTY ?? false })
        : options.stdinIsTTY
          ? stdinFrom('', { isTTY: true })
          : undefined,
    stdout,
    stderr,
    signal: options.signal,
    cwd: options.cwd,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes
export const ansiPattern = /\u001b\[[0-9;]*[A-Za-z]/;
