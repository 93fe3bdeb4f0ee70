import { exitCodeLines } from '../../shared/exit-codes.js';

/** The line of `genmeta --help` that lists reconcile. */
export const reconcileUsageLine =
  '  genmeta reconcile [file...|-] --date D   records against what OpenRouter billed (management key)';

const flagLines = [
  '--date YYYY-MM-DD     the UTC day to reconcile',
  '--from ISO --to ISO   or a window (2026-03-01T00:00:00Z), at most 31 days, not in the future',
  '--tolerance-usd N     largest untracked total and largest mismatch still reconciled [0.000001]',
  '--json                one object: from, to, billed, recorded, matched, untracked, phantom,',
  '                      mismatched, untrackedUsd, driftUsd, reconciled',
  '--csv                 one row per difference: kind,id,recorded_usd,billed_usd,diff_usd,model,provider',
  '--html FILE           also write a self-contained HTML page to FILE',
  '--base-url URL        API base URL [env OPENROUTER_BASE_URL, default https://openrouter.ai/api/v1]',
  '--api-key-file PATH   read the key from this file (after the two environment variables)',
  '--no-color            no colors (also: NO_COLOR=1)',
  '-h, --help            this help',
];

const ruleLines = [
  'Reads costLogger records (files or stdin, plain or pino lines: the reader of "genmeta',
  'report"), keeps the generations created in the window, and asks OpenRouter what it billed',
  'per generation (POST /analytics/query, dimension generation_id; metrics total_usage,',
  'credits_usage, byok_usage as /analytics/meta lists them). Like is compared with like:',
  "a record's spend (total_cost, plus upstream_inference_cost when BYOK) with total_usage, its",
  'total_cost with credits_usage. An unresolved record (no stats) is matched by id and compared',
  'on its inline spend when known. Amounts are summed in integer units of 1e-12 USD.',
  'Untracked: billed, in no record (largest first). Phantom: recorded, not billed.',
  'Mismatched: both, differing by more than the tolerance. A truncated answer (10,000 rows)',
  'is asked again from its last minute, or halved; 64 queries a minute; Retry-After honoured.',
  'Completed days also show /activity beside the sum of their per-generation rows.',
];

const keyLines = [
  'The key comes from OPENROUTER_MANAGEMENT_KEY, else OPENROUTER_API_KEY, else --api-key-file;',
  'never from an argument. Billing needs a management key: an inference key is refused (3).',
];

/** `genmeta help reconcile`. */
export function reconcileHelp(): string {
  const indent = (lines: readonly string[]) => lines.map((line) => `  ${line}`).join('\n');
  return `Usage: genmeta reconcile [file...|-] (--date YYYY-MM-DD | --from ISO --to ISO) [flags]

Is that everything we paid? Compares the records with what OpenRouter billed.

${ruleLines.join('\n')}

Flags
${indent(flagLines)}

${keyLines.join('\n')}

Exit codes (0 reconciled, 8 not reconciled)
${indent(exitCodeLines)}

Examples
  genmeta reconcile --date 2026-03-01 app.log
  genmeta reconcile --from 2026-03-01T00:00:00Z --to 2026-03-08T00:00:00Z --json logs/*.ndjson
  kubectl logs deploy/app | genmeta reconcile --date 2026-03-01 --html reconcile.html -
`;
}
