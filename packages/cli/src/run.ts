import { version as packageVersion } from '../package.json';
import { type Answer, answerWithoutClient, usageAnswer } from './commands/answer-without-client.js';
import { UsageError } from './commands/arguments.js';
import { exitCodes } from './shared/exit-codes.js';
import type { RunOptions } from './shared/io.js';
import { oneLine } from './shared/text/terminal-text.js';

// The option types live in shared/io.ts, beside the commands' own; the package exports them here.
export type { RunInput, RunOptions, RunOutput } from './shared/io.js';

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
      const { executeReport } = await import('./commands/report/report-command.js');
      return await executeReport(parsed.command, io);
    }
    if (parsed.command.command === 'explain') {
      const { executeExplain } = await import('./commands/explain/explain-command.js');
      return await executeExplain(parsed.command, io);
    }
    if (parsed.command.command === 'reconcile') {
      const { executeReconcile } = await import('./commands/reconcile/reconcile-command.js');
      return await executeReconcile(parsed.command, io);
    }
    // Loaded only here so that --help and --version never load the client, zod or ky.
    const { executeCommand } = await import('./commands/get/get-command.js');
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
