import { version } from '../../package.json';
import { exitCodes } from '../shared/exit-codes.js';
import { type CommandOptions, parseArguments, UsageError } from './arguments.js';
import { commandHelp, mainHelp } from './help.js';

/** What genmeta prints and returns for an argv it can answer alone. */
export interface Answer {
  code: number;
  stdout?: string;
  stderr?: string;
}

/**
 * Answers what needs no lookup (help, version, usage errors) from argv alone; otherwise returns
 * the command to execute. It loads neither the client, zod nor ky: `run()` and the bin's
 * launcher both start here, so `--help` and `--version` are fast and print the same either way.
 */
export function answerWithoutClient(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { answer: Answer } | { command: CommandOptions } {
  try {
    const invocation = parseArguments(argv, env);
    if (invocation.kind === 'help') {
      const text = invocation.topic ? commandHelp(invocation.topic) : mainHelp(version);
      return { answer: { code: exitCodes.ok, stdout: text } };
    }
    if (invocation.kind === 'version') {
      return { answer: { code: exitCodes.ok, stdout: `${version}\n` } };
    }
    return { command: invocation.options };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { answer: usageAnswer(error) };
  }
}

/** The message and exit code of a usage error: what went wrong, and where help is. */
export function usageAnswer(error: UsageError): Answer {
  const help = error.topic ? `genmeta help ${error.topic}` : 'genmeta --help';
  return { code: exitCodes.usage, stderr: `genmeta: ${error.message}\nRun "${help}" for usage.\n` };
}
