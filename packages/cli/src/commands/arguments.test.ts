import { describe, expect, it } from 'vitest';
import { parseDuration } from '../shared/flag-values.js';
import {
  KeyOnCommandLineError,
  parseArguments,
  refuseKeyArguments,
  UsageError,
} from './arguments.js';

const parse = (argv: string[], env = {}) => parseArguments(argv, env);

function options(argv: string[], env = {}) {
  const invocation = parse(argv, env);
  if (invocation.kind !== 'command') throw new Error(`expected a command, got ${invocation.kind}`);
  return invocation.options;
}

describe('parseArguments', () => {
  it('reads a command, ids and defaults', () => {
    expect(options(['get', 'gen-1', 'gen-2'])).toEqual({
      command: 'get',
      sources: ['gen-1', 'gen-2'],
      format: 'human',
      fields: undefined,
      baseUrl: undefined,
      deadlineMs: 30_000,
      wait: true,
      concurrency: 8,
      apiKeyFile: undefined,
      color: true,
    });
  });

  it('reads every flag, before or after the ids', () => {
    const parsed = options([
      '--json',
      'cost',
      '-',
      '--base-url=http://127.0.0.1:1/api/v1/',
      '--deadline',
      '1.5s',
      '--no-wait',
      '--concurrency',
      '64',
      '--api-key-file',
      'key.txt',
      '--no-color',
    ]);
    expect(parsed).toMatchObject({
      command: 'cost',
      sources: ['-'],
      format: 'json',
      baseUrl: 'http://127.0.0.1:1/api/v1',
      deadlineMs: 1500,
      wait: false,
      concurrency: 64,
      apiKeyFile: 'key.txt',
      color: false,
    });
  });

  it('takes OPENROUTER_BASE_URL, and --base-url over it', () => {
    expect(options(['get', 'x'], { OPENROUTER_BASE_URL: 'https://a.example/v1' }).baseUrl).toBe(
      'https://a.example/v1',
    );
    expect(
      options(['get', 'x', '--base-url', 'https://b.example/v1'], {
        OPENROUTER_BASE_URL: 'https://a.example/v1',
      }).baseUrl,
    ).toBe('https://b.example/v1');
  });

  it('dedupes and trims --fields', () => {
    expect(options(['get', 'x', '--fields', 'id, model,id,spend']).fields).toEqual([
      'id',
      'model',
      'spend',
    ]);
  });

  it.each([
    [['get', 'x', '--bogus'], /unknown flag --bogus/],
    [['get', 'x', '-x'], /unknown flag -x/],
    [['get', 'x', '--json=yes'], /--json takes no value/],
    [['get', 'x', '--fields'], /--fields needs a value/],
    [['get', 'x', '--fields', '--json'], /--fields needs a value/],
    [['get', 'x', '--fields', 'a,,b'], /comma-separated/],
    [['get', 'x', '--fields', 'a b'], /not a field name/],
    [['get', 'x', '--json', '--csv'], /exclude each other/],
    [['cost', 'x', '--fields', 'id'], /get" only/],
    [['get', 'x', '--deadline', '30'], /with a unit/],
    [['get', 'x', '--deadline', '0s'], /more than 0/],
    [['get', 'x', '--deadline', '61m'], /at most 60m/],
    [['get', 'x', '--deadline', '-1s'], /needs a value/],
    [['get', 'x', '--concurrency', '0'], /1 to 64/],
    [['get', 'x', '--concurrency', '65'], /1 to 64/],
    [['get', 'x', '--concurrency', '2.5'], /1 to 64/],
    [['get', 'x', '--concurrency', '1', '--concurrency', '2'], /given twice/],
    [['get', 'x', '--base-url', 'ftp://a'], /http/],
    [['get', 'x', '--base-url', 'not a url'], /not a valid URL/],
    [['get', 'x', '--base-url', 'https://user:pw@a.example'], /credentials/],
    [['get', '-', '-'], /once/],
    [['fetch', 'x'], /unknown command "fetch"/],
    [['gen-123'], /did you mean "genmeta get gen-123"/],
    [['help', 'nope'], /unknown command/],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('never echoes a bad base URL (it may hold a secret)', () => {
    expect(() => parse(['get', 'x', '--base-url', 'ftp://secret-token@host'])).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-token') }),
    );
  });

  it('answers help and version', () => {
    expect(parse([])).toEqual({ kind: 'help', topic: undefined });
    expect(parse(['--help'])).toEqual({ kind: 'help', topic: undefined });
    expect(parse(['get', '-h'])).toEqual({ kind: 'help', topic: 'get' });
    expect(parse(['help', 'cost'])).toEqual({ kind: 'help', topic: 'cost' });
    expect(parse(['--version'])).toEqual({ kind: 'version' });
  });
});

describe('refuseKeyArguments', () => {
  it.each([
    ['--api-key', 'abc'],
    ['--api-key=abc'],
    ['--key', 'abc'],
    ['--KEY=abc'],
    ['--openrouter-api-key=abc'],
    ['get', 'sk-or-v1-0123456789'],
    ['get', '--fields=sk-or-v1-abc'],
  ])('refuses %j without echoing it', (...argv) => {
    let caught: unknown;
    try {
      refuseKeyArguments(argv, undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KeyOnCommandLineError);
    const message = (caught as Error).message;
    expect(message).toContain('OPENROUTER_API_KEY');
    expect(message).toContain('--api-key-file');
    expect(message).not.toContain('abc');
    expect(message).not.toContain('0123456789');
  });

  it('refuses the value of OPENROUTER_API_KEY anywhere in argv', () => {
    expect(() => refuseKeyArguments(['get', 'my-custom-key-123'], 'my-custom-key-123')).toThrow(
      KeyOnCommandLineError,
    );
  });

  it('lets --api-key-file through', () => {
    expect(() =>
      refuseKeyArguments(['--api-key-file', 'k.txt', 'get', 'gen-1'], undefined),
    ).not.toThrow();
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['60m', 3_600_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--deadline')).toBe(ms);
  });

  it.each(['', '30', 's', '1h', '1e3ms', '.5s', '30 s', '-1s'])('refuses %j', (text) => {
    expect(() => parseDuration(text, '--deadline')).toThrow(UsageError);
  });
});
