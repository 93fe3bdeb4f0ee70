import { reportHelp, reportUsageLine } from '../report/help';
import type { CommandName } from './arguments';
import { exitCodeLines } from './exit-codes';

const flagLines = [
  '--json                JSON: one object for one id, one line per id (NDJSON) for many',
  '--csv                 CSV: a header row, then one row per id',
  '--fields a,b,c        get only: the fields to print (wire names, plus "spend")',
  '--base-url URL        API base URL [env OPENROUTER_BASE_URL, default https://openrouter.ai/api/v1]',
  '--deadline DURATION   give up on an id after this long, waiting included: 500ms, 30s, 2m [30s]',
  '--no-wait             fail at once on a not-ready id (404) instead of waiting for it',
  '--concurrency N       lookups at the same time, 1 to 64 [8]',
  '--api-key-file PATH   read the key from this file instead of OPENROUTER_API_KEY',
  '--no-color            no colors (also: NO_COLOR=1)',
  '-h, --help            this help; "genmeta help <command>" for one command',
  '--version             print the version',
];

const keyLines = [
  'The key comes from OPENROUTER_API_KEY or --api-key-file, never from an argument:',
  'arguments are visible to other users of the machine, so a key there is refused.',
];

const idLines = [
  'Ids are generation ids (gen-...). With "-", or with none and stdin not a terminal,',
  'ids are read from stdin, one per line; blank lines and # comments are skipped and',
  'each id is looked up once, printed in the order it first appeared.',
];

function indent(lines: readonly string[]): string {
  return lines.map((line) => `  ${line}`).join('\n');
}

/** `genmeta --help`. */
export function mainHelp(version: string): string {
  return `genmeta ${version}: what OpenRouter generations cost, and why

Usage
  genmeta get <id...|->    model, provider, cost, tokens, latency of each generation
  genmeta cost <id...|->   total spend, by model and provider, token totals
${reportUsageLine}

Flags
${indent(flagLines)}

${idLines.join('\n')}

${keyLines.join('\n')}

Exit codes
${indent(exitCodeLines)}

Examples
  genmeta get gen-1764704027-YmgZuzDAKrAywxh1aHQW
  genmeta get --json gen-1 gen-2 | jq .total_cost
  jq -r .id log.ndjson | genmeta cost -
  genmeta get --csv --fields id,model,spend - < ids.txt > costs.csv
  genmeta report --by route,model,day --html spend.html app.log
`;
}

/** `genmeta help <command>` and `genmeta <command> --help`. */
export function commandHelp(command: CommandName): string {
  if (command === 'report') return reportHelp();
  const lines =
    command === 'get'
      ? [
          'Usage: genmeta get <id...|-> [flags]',
          '',
          'Looks up each generation. On a terminal: a card for one id, a table for many.',
          'Piped, without --json or --csv: the same card or table, without colors.',
          'Unknown cost prints "unknown" (null in JSON), never 0. "spend" is what a',
          'generation cost you: total_cost, plus upstream_inference_cost when BYOK.',
        ]
      : [
          'Usage: genmeta cost <id...|-> [flags]',
          '',
          'Sums the spend of the generations: total (a lower bound, "at least", when some',
          'costs are unknown), by model, by provider, token totals, and the ids that could',
          'not be resolved, grouped by reason. --json prints one summary object, --csv one',
          'row per model and per provider.',
        ];
  const flags = flagLines.filter((line) => command === 'get' || !line.startsWith('--fields'));
  return `${lines.join('\n')}

Flags
${indent(flags)}

${idLines.join('\n')}

${keyLines.join('\n')}

Exit codes
${indent(exitCodeLines)}
`;
}
