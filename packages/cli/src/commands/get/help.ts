/** The line of `genmeta --help` that lists get. */
export const getUsageLine =
  '  genmeta get <id...|->    model, provider, cost, tokens, latency of each generation';

/** The lines of `genmeta help get` before the shared flags. */
export const getHelpLines = [
  'Usage: genmeta get <id...|-> [flags]',
  '',
  'Looks up each generation. On a terminal: a card for one id, a table for many.',
  'Piped, without --json or --csv: the same card or table, without colors.',
  'Unknown cost prints "unknown" (null in JSON), never 0. "spend" is what a',
  'generation cost you: total_cost, plus upstream_inference_cost when BYOK.',
];

/** `--json`, `--csv` and `--fields` for get: it prints each generation. */
export const getFormatLines = [
  '--json                one JSON object for one id, one line per id (NDJSON) for many',
  '--csv                 a header row, then one row per id (formula-safe cells)',
  '--fields a,b,c        the fields to print (wire names, plus "spend")',
];
