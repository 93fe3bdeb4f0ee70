import { describe, expect, it } from 'vitest';
import { parseBinArguments, usage } from './bin-arguments.js';

describe('parseBinArguments', () => {
  it('defaults to port 8787 on 127.0.0.1', () => {
    expect(parseBinArguments([])).toEqual({
      kind: 'run',
      options: { port: 8787, host: '127.0.0.1' },
    });
  });

  it('reads every option', () => {
    expect(
      parseBinArguments([
        '--port',
        '0',
        '--host',
        '::1',
        '--api-key',
        'sk-or-v1-k',
        '--stats-delay-ms',
        '500',
        '--latency-ms=20',
        '--chunk-delay-ms',
        '0',
        '--byok',
        '--verbose',
      ]),
    ).toEqual({
      kind: 'run',
      options: {
        port: 0,
        host: '::1',
        apiKey: 'sk-or-v1-k',
        statsDelayMs: 500,
        latencyMs: 20,
        chunkDelayMs: 0,
        byok: true,
        verbose: true,
      },
    });
  });

  it('answers help for --help and -h', () => {
    expect(parseBinArguments(['--help'])).toEqual({ kind: 'help' });
    expect(parseBinArguments(['-h', '--port', 'x'])).toEqual({ kind: 'help' });
    for (const option of ['--port', '--api-key', '--stats-delay-ms', '--latency-ms', '--help']) {
      expect(usage).toContain(option);
    }
  });

  it.each([
    [['--port', '65536'], /--port must be an integer from 0 to 65535/],
    [['--port', '-1'], /--port/],
    [['--port', '1.5'], /--port/],
    [['--stats-delay-ms', 'soon'], /--stats-delay-ms/],
    [['--latency-ms', ''], /--latency-ms/],
    [['--api-key', 'two words'], /--api-key/],
    [['--unknown'], /Unknown option/],
    [['positional'], /positional/],
  ])('rejects %j', (argv, message) => {
    const result = parseBinArguments(argv);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') expect(result.message).toMatch(message);
  });
});
