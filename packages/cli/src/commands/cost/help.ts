/** The line of `genmeta --help` that lists cost. */
export const costUsageLine =
  '  genmeta cost <id...|->   total spend, by model and provider, token totals';

/** The lines of `genmeta help cost` before the shared flags. */
export const costHelpLines = [
  'Usage: genmeta cost <id...|-> [flags]',
  '',
  'Sums the spend of the generations: total (a lower bound, "at least", when some',
  'costs are unknown), by model, by provider, token totals, and the ids that could',
  'not be resolved, grouped by reason, printed once at the end. After Ctrl-C or',
  'SIGTERM it prints the summary so far, with the ids not looked up counted.',
];

/** `--json` and `--csv` for cost: it prints one summary. */
export const costFormatLines = [
  '--json                one summary object: totals, by model and provider, unresolved ids',
  '--csv                 group,name,count,spend_usd,unknown_count rows: total, per model,',
  '                      per provider, unresolved by reason (formula-safe cells)',
];
