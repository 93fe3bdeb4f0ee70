import { exitCodeLines } from '../shared/exit-codes.js';
import type { CommandName } from './arguments.js';
import { costFormatLines, costHelpLines, costUsageLine } from './cost/help.js';
import { explainFormatLines, explainHelpLines, explainUsageLine } from './explain/help.js';
import { getFormatLines, getHelpLines, getUsageLine } from './get/help.js';
import { reconcileHelp, reconcileUsageLine } from './reconcile/help.js';
import { reportHelp, reportUsageLine } from './report/help.js';

// The formats differ by command (each command's own are in its folder's help.ts): get prints
// each generation, cost one summary.
const allFormatLines = [
  '--json                get: one object per id (NDJSON); cost: one summary object',
  '--csv                 get: a header, one row per id; cost: rows of groups (model, provider)',
  '--fields a,b,c        get only: the fields to print (wire names, plus "spend")',
];

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
${getUsageLine}
${costUsageLine}
${explainUsageLine}
${reportUsageLine}
${reconcileUsageLine}

Flags
${indent([...allFormatLines, ...flagLines])}

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
  const own = {
    get: { lines: getHelpLines, formats: getFormatLines },
    cost: { lines: costHelpLines, formats: costFormatLines },
    explain: { lines: explainHelpLines, formats: explainFormatLines },
  }[command];
  return `${own.lines.join('\n')}

Flags
${indent([...own.formats, ...flagLines])}

${idLines.join('\n')}

${keyLines.join('\n')}

Exit codes
${indent(exitCodeLines)}
`;
}
