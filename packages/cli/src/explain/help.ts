/** The line of `genmeta --help` that lists explain. */
export const explainUsageLine =
  '  genmeta explain <id...|->  why each generation cost what it did: parts, rules, residual';

/** The lines of `genmeta help explain` before the shared flags. */
export const explainHelpLines = [
  'Usage: genmeta explain <id...|-> [flags]',
  '',
  'Looks up each generation and the pricing of the endpoint that served it, and prints',
  'a card: model, provider, the attempts (fallbacks) with status and latency, the parts',
  'of the cost (prompt, completion, reasoning, cache reads and writes, web search, ...)',
  'summing to the expected cost, the billing rules that applied (response-cache hit,',
  'zero-completion insurance, BYOK, endpoint discount, pricing override), the residual',
  '(charged minus expected: what the price list does not explain) and, for a failed',
  "generation, the attempts' stored errors. A part the price list cannot price is",
  '"unknown" (null in JSON), never 0. Each model\'s pricing is fetched once per run.',
];

/** `--json` for explain. */
export const explainFormatLines = [
  '--json                one object per id (NDJSON): id, model, provider, chargedUsd,',
  '                      expectedUsd, residualUsd, components, rules, attempts',
];
