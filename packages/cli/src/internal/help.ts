import { explainFormatLines, explainHelpLines, explainUsageLine } from '../explain/help.js';
import { reconcileHelp, reconcileUsageLine } from '../reconcile/help.js';
import { reportHelp, reportUsageLine } from '../report/help.js';
import type { CommandName } from './arguments.js';
import { exitCodeLines } from './exit-codes.js';

// The formats differ by command: get prints each generation, cost one summary.
const formatLines: Record<'all' | 'get' | 'cost', readonly string[]> = {
  all: [
    '--json                get: one object per id (NDJSON); cost: one summary object',
    '--csv                 get: a header, one row per id; cost: rows of groups (model, provider)',
    '--fields a,b,c        get only: the fields to print (wire names, plus "spend")',
  ],
  get: [
    '--json                one JSON object for one id, one line per id (NDJSON) for many',
    '--csv                 a header row, then one row per id (formula-safe cells)',
    '--fields a,b,c        the fields to print (wire names, plus "spend")',
  ],
  cost: [
    '--json                one summary object: totals, by model and provider, unresolved ids',
    '--csv                 group,name,count,spend_usd,unknown_count rows: total, per model,',
    '                      per provider, unresolved by reason (formula-safe cells)',
  ],
};

const flagLines = [
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
  "A --base-url that is not OpenRouter's (a genmeta proxy route) works without a key.",
];

const idLines = [
  'Ids are generation ids (gen-...). With "-", or with none and stdin not a terminal,',
  'ids are read from stdin, one per line; blank lines and # comments are skipped, and',
  'a costLogger record line (plain or pino) gives its generationIds. Each id is looked',
  'up once; results are printed as they resolve, in the order ids first appeared.',
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
${explainUsageLine}
${reportUsageLine}
${reconcileUsageLine}

Flags
${indent([...formatLines.all, ...flagLines])}

${idLines.join('\n')}

${keyLines.join('\n')}

Exit codes
${indent(exitCodeLines)}

Examples
  genmeta get gen-1764704027-YmgZuzDAKrAywxh1aHQW
  genmeta get --json gen-1 gen-2 | jq .total_cost
  genmeta cost - < costs.ndjson            # costLogger's records: what they cost
  genmeta get --csv --fields id,model,spend - < ids.txt > costs.csv
  genmeta report --by route,model,day --html spend.html app.log
  genmeta reconcile --date 2026-03-01 app.log   # is that everything we paid?
`;
}

/** `genmeta help <command>` and `genmeta <command> --help`. */
export function commandHelp(command: CommandName): string {
  if (command === 'report') return reportHelp();
  if (command === 'reconcile') return reconcileHelp();
  const lines =
    command === 'explain'
      ? explainHelpLines
      : command === 'get'
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
            'not be resolved, grouped by reason, printed once at the end. After Ctrl-C or',
            'SIGTERM it prints the summary so far, with the ids not looked up counted.',
          ];
  return `${lines.join('\n')}

Flags
${indent([...(command === 'explain' ? explainFormatLines : formatLines[command]), ...flagLines])}

${idLines.join('\n')}

${keyLines.join('\n')}

Exit codes
${indent(exitCodeLines)}
`;
}
