import { parseArgs } from 'node:util';
import { parseReportFlags, type ReportSettings } from '../report/arguments.js';
import { printable } from './terminal-text.js';

// Echoing user input goes through the one terminal-safety rule; kept importable from here.
export { printable };

/** The commands `genmeta` knows. */
export const commandNames = ['get', 'cost', 'report'] as const;

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
}

/** A problem with argv; the message says what and how to fix it. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** the command whose help the hint should point at */
  readonly topic: CommandName | undefined;
  constructor(message: string, topic?: CommandName) {
    super(message);
    this.topic = topic;
  }
}

/** A key was given on the command line. The message never contains it. Exit code 2. */
export class KeyOnCommandLineError extends UsageError {
  constructor() {
    super(
      [
        'refusing an API key given on the command line: arguments are visible to other users of',
        'this machine (ps, /proc) and stay in your shell history. Give the key one of two ways:',
        '  OPENROUTER_API_KEY=... in the environment (export it, or use a secret manager), or',
        '  --api-key-file PATH   a file holding only the key (chmod 600)',
      ].join('\n'),
    );
  }
}

export const defaultDeadlineMs = 30_000;
export const defaultConcurrency = 8;
const maxConcurrency = 64;
const maxDeadlineMs = 60 * 60 * 1000;

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

/** Parses `30s`, `500ms`, `2m`, `1.5s` into milliseconds; anything else is a usage error. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value.trim());
  if (!match) {
    throw new UsageError(`${flag} needs a duration with a unit, like 500ms, 30s or 2m`);
  }
  const amount = Number(match[1]);
  const unit = match[2];
  const milliseconds = Math.round(amount * (unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1));
  if (milliseconds <= 0 || milliseconds > maxDeadlineMs) {
    throw new UsageError(`${flag} must be more than 0 and at most 60m`);
  }
  return milliseconds;
}

function parseConcurrency(value: string): number {
  const trimmed = value.trim();
  const number = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(number) || number < 1 || number > maxConcurrency) {
    throw new UsageError(`--concurrency must be a whole number from 1 to ${maxConcurrency}`);
  }
  return number;
}

function parseFields(value: string): string[] {
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) {
    throw new UsageError('--fields needs comma-separated field names, like id,model,spend');
  }
  for (const name of names) {
    if (!/^[A-Za-z0-9_]+$/.test(name)) {
      throw new UsageError(`--fields: "${printable(name)}" is not a field name`);
    }
  }
  return [...new Set(names)];
}

/**
 * Checks a base URL: absolute http(s), no credentials in it. The message names where it came
 * from and never echoes the value (it could hold a secret).
 */
export function parseBaseUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UsageError(
      `${source} is not a valid URL (expected e.g. https://openrouter.ai/api/v1)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${source} must be an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${source} must not contain credentials; give the key separately`);
  }
  return url.href.replace(/\/+$/, '');
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
  },
): Invocation {
  refuseKeyArguments(argv, environment.OPENROUTER_API_KEY);

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
  if (fieldsValue !== undefined && command === 'cost') {
    throw new UsageError('--fields applies to "genmeta get" only', command);
  }
  const baseUrlValue = stringValue('base-url');
  const environmentBaseUrl = environment.OPENROUTER_BASE_URL?.trim() || undefined;
  const deadlineValue = stringValue('deadline');
  const concurrencyValue = stringValue('concurrency');

  try {
    const report = parseReportFlags(command, {
      by: byValues,
      top: stringValue('top'),
      html: stringValue('html'),
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
      },
    };
  } catch (error) {
    if (error instanceof UsageError && error.topic === undefined) {
      throw new UsageError(error.message, command);
    }
    throw error;
  }
}
