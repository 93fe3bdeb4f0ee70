import { parseArgs } from 'node:util';
import {
  parseReconcileFlags,
  type ReconcileSettings,
  reconcileFlagDefinitions,
} from '../reconcile/arguments.js';
import { parseReportFlags, type ReportSettings } from '../report/arguments.js';
import { parseBaseUrl, parseConcurrency, parseDuration, parseFields } from './flag-values.js';
import { printable } from './terminal-text.js';
import { KeyOnCommandLineError, UsageError } from './usage-errors.js';

// Echoing user input goes through the one terminal-safety rule, and every argv problem is a
// UsageError; both kept importable from here.
export { KeyOnCommandLineError, printable, UsageError };

/** The commands `genmeta` knows. */
export const commandNames = ['get', 'cost', 'report', 'reconcile', 'explain'] as const;

/** One of {@link commandNames}. */
export type CommandName = (typeof commandNames)[number];

/** Output format of a command. */
export type OutputFormat = 'human' | 'json' | 'csv';

/** What to do, once argv is understood. */
export type Invocation =
  | { kind: 'help'; topic: CommandName | undefined }
  | { kind: 'version' }
  | { kind: 'command'; options: CommandOptions };

/** Everything a command needs from argv, validated. */
export interface CommandOptions {
  command: CommandName;
  /** ids given as arguments, in order, with `-` kept where stdin is read */
  sources: readonly string[];
  format: OutputFormat;
  fields: readonly string[] | undefined;
  baseUrl: string | undefined;
  deadlineMs: number;
  wait: boolean;
  concurrency: number;
  apiKeyFile: string | undefined;
  color: boolean;
  /** `genmeta report` only: its breakdowns, top list and HTML file */
  report: ReportSettings | undefined;
  /** `genmeta reconcile` only: its window, tolerance and HTML file */
  reconcile: ReconcileSettings | undefined;
}

export const defaultDeadlineMs = 30_000;
export const defaultConcurrency = 8;

const optionDefinitions = {
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  fields: { type: 'string' },
  'base-url': { type: 'string' },
  deadline: { type: 'string' },
  'no-wait': { type: 'boolean' },
  concurrency: { type: 'string' },
  'api-key-file': { type: 'string' },
  'no-color': { type: 'boolean' },
  by: { type: 'string', multiple: true },
  top: { type: 'string' },
  html: { type: 'string' },
  budget: { type: 'string', multiple: true },
  ...reconcileFlagDefinitions,
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type OptionName = keyof typeof optionDefinitions;

function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(optionDefinitions, name);
}

const keyFlagPattern = /^--?(?:api[-_]?key|key|token|openrouter[-_]api[-_]key)$/i;
const keyValuePattern = /sk-or-/i;

/**
 * Throws {@link KeyOnCommandLineError} when an argument is, or carries, an API key: a key flag
 * (`--api-key`, `--key`, ...), anything containing `sk-or-`, or the value of OPENROUTER_API_KEY.
 */
export function refuseKeyArguments(argv: readonly string[], environmentKey: string | undefined) {
  const knownKey = environmentKey && environmentKey.trim().length >= 8 ? environmentKey.trim() : '';
  for (const argument of argv) {
    const name = argument.split('=', 1)[0] ?? '';
    if (keyFlagPattern.test(name) || keyValuePattern.test(argument)) {
      throw new KeyOnCommandLineError();
    }
    if (knownKey && argument.includes(knownKey)) throw new KeyOnCommandLineError();
  }
}

function isCommandName(value: string): value is CommandName {
  return (commandNames as readonly string[]).includes(value);
}

/**
 * Understands argv (without `node` and the script): strict flags, one command, its ids.
 * Throws {@link UsageError} (or {@link KeyOnCommandLineError}) with a message fit for users.
 */
export function parseArguments(
  argv: readonly string[],
  environment: {
    OPENROUTER_BASE_URL?: string | undefined;
    OPENROUTER_API_KEY?: string | undefined;
    OPENROUTER_MANAGEMENT_KEY?: string | undefined;
  },
): Invocation {
  refuseKeyArguments(argv, environment.OPENROUTER_API_KEY);
  refuseKeyArguments(argv, environment.OPENROUTER_MANAGEMENT_KEY);

  const { tokens } = parseArgs({
    args: [...argv],
    options: optionDefinitions,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const positionals: string[] = [];
  const values: Partial<Record<OptionName, string | true>> = {};
  const byValues: string[] = [];
  const budgetValues: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const rawName = printable(token.rawName);
    if (!isOptionName(token.name)) {
      const topic = positionals[0] && isCommandName(positionals[0]) ? positionals[0] : undefined;
      throw new UsageError(`unknown flag ${rawName}`, topic);
    }
    const definition = optionDefinitions[token.name];
    if (definition.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${rawName} takes no value`);
      values[token.name] = true;
    } else {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
        throw new UsageError(`${rawName} needs a value`);
      }
      if (token.name === 'by') {
        byValues.push(token.value);
        continue;
      }
      if (token.name === 'budget') {
        budgetValues.push(token.value);
        continue;
      }
      if (values[token.name] !== undefined) throw new UsageError(`${rawName} given twice`);
      values[token.name] = token.value;
    }
  }

  const [first, ...rest] = positionals;
  if (first === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !isCommandName(topic)) {
      throw new UsageError(`unknown command "${printable(topic)}"`);
    }
    return { kind: 'help', topic };
  }
  const command = first !== undefined && isCommandName(first) ? first : undefined;
  if (values.help) return { kind: 'help', topic: command };
  if (values.version) return { kind: 'version' };
  if (first === undefined) return { kind: 'help', topic: undefined };
  if (command === undefined) {
    const hint = /^gen-/.test(first) ? ` (did you mean "genmeta get ${printable(first)}"?)` : '';
    throw new UsageError(`unknown command "${printable(first)}"${hint}`);
  }

  const stringValue = (name: OptionName): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };

  if (values.json && values.csv)
    throw new UsageError('--json and --csv exclude each other', command);
  if (rest.filter((source) => source === '-').length > 1) {
    throw new UsageError('"-" (read ids from stdin) may be given once', command);
  }
  const fieldsValue = stringValue('fields');
  if (values.csv && command === 'explain') {
    throw new UsageError('--csv does not apply to "genmeta explain" (use --json)', command);
  }
  if (fieldsValue !== undefined && (command === 'cost' || command === 'explain')) {
    throw new UsageError('--fields applies to "genmeta get" only', command);
  }
  const baseUrlValue = stringValue('base-url');
  const environmentBaseUrl = environment.OPENROUTER_BASE_URL?.trim() || undefined;
  const deadlineValue = stringValue('deadline');
  const concurrencyValue = stringValue('concurrency');

  try {
    const reconcile = parseReconcileFlags(command, {
      date: stringValue('date'),
      from: stringValue('from'),
      to: stringValue('to'),
      tolerance: stringValue('tolerance-usd'),
      html: stringValue('html'),
    });
    const report = parseReportFlags(command, {
      by: byValues,
      top: stringValue('top'),
      html: stringValue('html'),
      budget: budgetValues,
      given: (name) => isOptionName(name) && values[name] !== undefined,
    });
    return {
      kind: 'command',
      options: {
        command,
        sources: rest,
        format: values.json ? 'json' : values.csv ? 'csv' : 'human',
        fields: fieldsValue === undefined ? undefined : parseFields(fieldsValue),
        baseUrl:
          command === 'report'
            ? undefined
            : baseUrlValue !== undefined
              ? parseBaseUrl(baseUrlValue, '--base-url')
              : environmentBaseUrl !== undefined
                ? parseBaseUrl(environmentBaseUrl, 'OPENROUTER_BASE_URL')
                : undefined,
        deadlineMs:
          deadlineValue === undefined
            ? defaultDeadlineMs
            : parseDuration(deadlineValue, '--deadline'),
        wait: values['no-wait'] !== true,
        concurrency:
          concurrencyValue === undefined ? defaultConcurrency : parseConcurrency(concurrencyValue),
        apiKeyFile: stringValue('api-key-file'),
        color: values['no-color'] !== true,
        report,
        reconcile,
      },
    };
  } catch (error) {
    if (error instanceof UsageError && error.topic === undefined) {
      throw new UsageError(error.message, command);
    }
    throw error;
  }
}
