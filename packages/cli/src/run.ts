import { version as packageVersion } from '../package.json';
import { type Answer, answerWithoutClient, usageAnswer } from './internal/answer-without-client.js';
import { UsageError } from './internal/arguments.js';
import { exitCodes } from './internal/exit-codes.js';
import { oneLine } from './internal/terminal-text.js';

/** Where `genmeta` writes: `process.stdout`, `process.stderr`, or anything with `write`. */
export interface RunOutput {
  /** writes a chunk of text */
  write(chunk: string): unknown;
  /** a terminal gets colors, a card/table fitted to `columns`, and (stderr) progress */
  isTTY?: boolean | undefined;
  /** terminal width, used to fit tables */
  columns?: number | undefined;
}

/** Where ids come from with `-`: `process.stdin`, or any async iterable of text chunks. */
export interface RunInput extends AsyncIterable<string | Uint8Array> {
  /** a terminal is never read unless `-` is given */
  isTTY?: boolean | undefined;
}

/** Everything {@link run} touches: argv and the environment in, text out, nothing global. */
export interface RunOptions {
  /** the arguments after the program name, e.g. `['get', '--json', 'gen-1']` */
  argv: readonly string[];
  /**
   * environment variables: OPENROUTER_API_KEY, OPENROUTER_BASE_URL, NO_COLOR, FORCE_COLOR, TERM
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * ids (or costLogger record lines), one per line, read with `-` or when no id is given and
   * it is not a terminal
   * @default no input
   */
  stdin?: RunInput | undefined;
  /** results, written as they resolve; a Node stream's backpressure is respected */
  stdout: RunOutput;
  /** errors, warnings and progress */
  stderr: RunOutput;
  /**
   * aborts lookups in flight; what had resolved is printed, then `run` resolves to 130
   * @default never aborted
   */
  signal?: AbortSignal | undefined;
  /**
   * directory that a relative `--api-key-file` path is resolved against
   * @default process.cwd()
   */
  cwd?: string | undefined;
}

/** The version of this package, as `genmeta --version` prints it. */
export const version: string = packageVersion;

/**
 * Runs `genmeta` with the given argv and streams and resolves to its exit code; it never
 * throws and never touches `process` (beyond the defaults of `env` and `cwd`).
 *
 * @example
 * const code = await run({ argv: ['get', '--json', id], stdout: process.stdout, stderr: process.stderr });
 */
export async function run(options: RunOptions): Promise<number> {
  const { argv, stdout, stderr } = options;
  const env = options.env ?? process.env;
  const write = (answer: Answer): number => {
    if (answer.stdout !== undefined) stdout.write(answer.stdout);
    if (answer.stderr !== undefined) stderr.write(answer.stderr);
    return answer.code;
  };
  try {
    const parsed = answerWithoutClient(argv, env);
    if ('answer' in parsed) return write(parsed.answer);
    const io = {
      env,
      stdin: options.stdin,
      stdout,
      stderr,
      signal: options.signal,
      cwd: options.cwd ?? process.cwd(),
    };
    if (parsed.command.command === 'report') {
      // A report reads logs only: no key, no client.
      const { executeReport } = await import('./report/report-command.js');
      return await executeReport(parsed.command, io);
    }
    if (parsed.command.command === 'explain') {
      const { executeExplain } = await import('./explain/explain-command.js');
      return await executeExplain(parsed.command, io);
    }
    if (parsed.command.command === 'reconcile') {
      const { executeReconcile } = await import('./reconcile/reconcile-command.js');
      return await executeReconcile(parsed.command, io);
    }
    // Loaded only here so that --help and --version never load the client, zod or ky.
    const { executeCommand } = await import('./internal/execute.js');
    return await executeCommand(parsed.command, io);
  } catch (error) {
    if (error instanceof UsageError) return write(usageAnswer(error));
    if (options.signal?.aborted) {
      stderr.write('genmeta: interrupted\n');
      return exitCodes.interrupted;
    }
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`genmeta: internal error: ${oneLine(message)}\n`);
    return exitCodes.internal;
  }
}
