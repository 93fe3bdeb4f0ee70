import { parseArgs } from 'node:util';
import type { FakeOpenRouterOptions } from '../types.js';

export const usage = `Usage: genmeta-fake-openrouter [options]

Runs a fake OpenRouter API (generation metadata, chat completions, scripted faults) on loopback.
Prints OPENROUTER_BASE_URL=<url> and OPENROUTER_API_KEY=<key>, one per line; stops on SIGINT/SIGTERM.

Options:
  --port <n>             port to listen on, 0 for a random free port (default 8787)
  --host <host>          interface to listen on (default 127.0.0.1)
  --api-key <key>        the Bearer key to accept (default: a random sk-or-v1-fake-... key)
  --stats-delay-ms <n>   ms before a generation's stats are served, 404 before (default 0)
  --latency-ms <n>       delay before every API answer (default 0)
  --chunk-delay-ms <n>   delay between streamed chunks (default 5)
  --byok                 report chat completions as bring-your-own-key
  --verbose              log one line per request to stderr
  -h, --help             show this help

Exit codes:
  0  stopped by SIGINT/SIGTERM, or --help
  1  could not start (e.g. port in use)
  2  invalid arguments
`;

export type BinArguments =
  | { kind: 'help' }
  | { kind: 'run'; options: FakeOpenRouterOptions }
  | { kind: 'error'; message: string };

function number(name: string, text: string | undefined, max = Number.MAX_SAFE_INTEGER) {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new RangeError(`--${name} must be an integer from 0 to ${max}, got "${text}"`);
  }
  return Number(text);
}

/** Parses the bin's argv (without node and script path). */
export function parseBinArguments(argv: readonly string[]): BinArguments {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        'stats-delay-ms': { type: 'string' },
        'latency-ms': { type: 'string' },
        'chunk-delay-ms': { type: 'string' },
        byok: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return { kind: 'help' };
    const options: FakeOpenRouterOptions = {
      port: number('port', values.port, 65_535) ?? 8787,
      host: values.host ?? '127.0.0.1',
    };
    if (values['api-key'] !== undefined) {
      if (values['api-key'].trim() === '' || /\s/.test(values['api-key'])) {
        throw new TypeError('--api-key must be a non-empty string without whitespace');
      }
      options.apiKey = values['api-key'];
    }
    const statsDelayMs = number('stats-delay-ms', values['stats-delay-ms']);
    if (statsDelayMs !== undefined) options.statsDelayMs = statsDelayMs;
    const latencyMs = number('latency-ms', values['latency-ms']);
    if (latencyMs !== undefined) options.latencyMs = latencyMs;
    const chunkDelayMs = number('chunk-delay-ms', values['chunk-delay-ms']);
    if (chunkDelayMs !== undefined) options.chunkDelayMs = chunkDelayMs;
    if (values.byok) options.byok = true;
    if (values.verbose) options.verbose = true;
    return { kind: 'run', options };
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}
