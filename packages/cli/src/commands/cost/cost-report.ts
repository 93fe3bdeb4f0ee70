import { formatUsd, type SpendGroup } from '@genmeta/core';
import type { ErrorCategory } from '@genmeta/core/rules';
import { categoryOf } from '../../shared/exit-code-of.js';
import { formatCount } from '../../shared/text/format.js';
import type { Style } from '../../shared/text/style.js';
import { printable } from '../../shared/text/terminal-text.js';
import type { CostTotals, Unresolved } from './cost-tally.js';
import { countByCode } from './cost-tally.js';

// What each code is, in words; the advice comes from its category in core's error table.
const codeLabels: Record<string, string> = {
  invalid_id: 'invalid id',
  not_found: 'not found',
  unauthorized: 'key refused',
  insufficient_credits: 'not enough credits',
  forbidden: 'forbidden',
  rate_limited: 'rate limited',
  server_error: 'server error',
  timeout: 'timed out',
  network: 'network error',
  invalid_response: 'unreadable answer',
};

const adviceByCategory: { readonly [category in ErrorCategory]: string } = {
  input: 'fix the id',
  auth: 'check the key and the account',
  not_found: 'or still not ready at the deadline; try a longer --deadline',
  transient: 'transient: running again may succeed',
  response: 'the server answered something genmeta cannot read',
};

const adviceByCode: Record<string, string> = {
  forbidden: 'this key may not read this generation',
  rate_limited: 'transient: try a lower --concurrency',
  timeout: 'transient: try a longer --deadline',
};

/** A code in words with what to do about it, e.g. `rate limited (transient: try a lower --concurrency)`. */
export function failureHint(code: string): string {
  const category = categoryOf(code);
  const advice = adviceByCode[code] ?? (category && adviceByCategory[category]);
  const label = codeLabels[code] ?? code;
  return advice ? `${label} (${advice})` : label;
}

function groupLabel(group: SpendGroup): string {
  const spend = formatUsd(group.spendUsd);
  return group.unknownCount > 0 ? `at least ${spend}` : spend;
}

/** Unresolved by code, most first, each with the hint a user needs. */
function renderUnresolved(unresolved: readonly Unresolved[], style: Style): string[] {
  if (unresolved.length === 0) return [];
  const counts = Object.entries(countByCode(unresolved)).sort(([, a], [, b]) => b - a);
  const codeWidth = Math.max(...counts.map(([code]) => code.length));
  const countWidth = Math.max(...counts.map(([, count]) => String(count).length));
  return [
    style.bold(style.yellow(`Unresolved (${unresolved.length})`)),
    ...counts.map(([code, count]) =>
      `  ${code.padEnd(codeWidth)}  ${String(count).padStart(countWidth)}  ${failureHint(code)}`.trimEnd(),
    ),
    '',
  ];
}

function renderGroups(title: string, groups: Record<string, SpendGroup>, style: Style): string[] {
  const entries = Object.entries(groups).sort(
    ([nameA, a], [nameB, b]) =>
      b.spendUsd - a.spendUsd || b.count - a.count || nameA.localeCompare(nameB),
  );
  if (entries.length === 0) return [];
  const nameWidth = Math.max(...entries.map(([name]) => printable(name, 60).length));
  const countWidth = Math.max(...entries.map(([, group]) => String(group.count).length));
  return [
    style.bold(title),
    ...entries.map(
      ([name, group]) =>
        `  ${printable(name, 60).padEnd(nameWidth)}  ${String(group.count).padStart(countWidth)}  ${groupLabel(group)}`,
    ),
    '',
  ];
}

/** The human report of `genmeta cost`: spend, groups, tokens, what did not resolve. */
export function renderCostReport(totals: CostTotals, style: Style): string {
  const { summary, unresolved, notLookedUp } = totals;
  const total = formatUsd(summary.totalUsd);
  const spend =
    summary.unknownCount > 0
      ? `${style.green(`at least ${total}`)}  ${style.yellow(`(${summary.unknownCount} with unknown cost)`)}`
      : style.green(total);
  let resolved = `${summary.count} resolved`;
  if (unresolved.length > 0) resolved += style.yellow(`, ${unresolved.length} unresolved`);
  if (notLookedUp > 0) {
    const why = totals.interrupted ? 'interrupted' : 'batch stopped';
    resolved += style.yellow(`, ${notLookedUp} not looked up (${why})`);
  }
  const lines = [
    `${style.bold('Spend'.padEnd(12))}${spend}`,
    `${style.bold('Generations'.padEnd(12))}${resolved}`,
    '',
    ...renderGroups('By model', summary.byModel, style),
    ...renderGroups('By provider', summary.byProvider, style),
  ];
  const tokens = summary.tokens;
  const tokenRows: [string, number][] = [
    ['prompt', tokens.prompt],
    ['completion', tokens.completion],
    ['reasoning', tokens.reasoning],
    ['cached', tokens.cached],
    ['native prompt', tokens.nativePrompt],
    ['native completion', tokens.nativeCompletion],
  ];
  const tokenWidth = Math.max(...tokenRows.map(([, count]) => formatCount(count).length));
  lines.push(
    style.bold('Tokens'),
    ...tokenRows.map(
      ([label, count]) => `  ${label.padEnd(17)}  ${formatCount(count).padStart(tokenWidth)}`,
    ),
    '',
  );
  lines.push(...renderUnresolved(unresolved, style));
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}
