import { formatUsd } from '@genmeta/core';
import type { Style } from '../internal/style.js';
import { escapeHtml } from './escape-html.js';
import { breakdownTitle, formatCount, keyHeader } from './labels.js';
import type { Breakdown, BreakdownRow, ReportData } from './report-data.js';
import type { Savings, Waste } from './savings-waste.js';
import { renderTextTable, type TextColumn, terminalSafe } from './text-table.js';

/** Whether a group (or the report) has any saving or waste to show. */
export function hasSavingsOrWaste({ savings, waste }: { savings: Savings; waste: Waste }): boolean {
  return (
    savings.promptCachingUsd !== 0 ||
    savings.responseCacheHits > 0 ||
    waste.cancelled.generations > 0 ||
    waste.errored.generations > 0 ||
    waste.failedAttempts.count > 0
  );
}

/** The cells of one group, in {@link savingsHeaders} order, for the text and HTML tables. */
function cellsOf({ savings, waste }: { savings: Savings; waste: Waste }): string[] {
  const withoutSource =
    savings.responseCacheHitsWithoutSource > 0
      ? ` +${formatCount(savings.responseCacheHitsWithoutSource)} unpriced`
      : '';
  return [
    formatUsd(savings.promptCachingUsd),
    `${formatUsd(savings.responseCachingUsd)} (${formatCount(savings.responseCacheHits)} hits${withoutSource})`,
    `${formatUsd(waste.cancelled.spendUsd)} (${formatCount(waste.cancelled.generations)})`,
    `${formatUsd(waste.errored.spendUsd)} (${formatCount(waste.errored.generations)})`,
    `${formatCount(waste.failedAttempts.count)} (${formatCount(waste.failedAttempts.latencyMs)} ms)`,
  ];
}

const savingsHeaders = [
  'PROMPT CACHE SAVED',
  'RESPONSE CACHE SAVED',
  'CANCELLED',
  'ERRORED',
  'FAILED ATTEMPTS',
];

/** Summary lines for the text report: what caching saved and what was wasted. */
export function savingsSummaryLines(report: ReportData): [string, string][] {
  const { savings, waste } = report;
  const lines: [string, string][] = [
    [
      'saved',
      `${formatUsd(savings.promptCachingUsd)} by prompt caching, ${formatUsd(savings.responseCachingUsd)} by response caching (${formatCount(savings.responseCacheHits)} hits${savings.responseCacheHitsWithoutSource > 0 ? `, ${formatCount(savings.responseCacheHitsWithoutSource)} with the source not in the records: not counted` : ''})`,
    ],
    [
      'wasted',
      `${formatUsd(waste.cancelled.spendUsd)} on ${formatCount(waste.cancelled.generations)} cancelled, ${formatUsd(waste.errored.spendUsd)} on ${formatCount(waste.errored.generations)} errored; ${formatCount(waste.failedAttempts.count)} failed attempts (${formatCount(waste.failedAttempts.latencyMs)} ms)`,
    ],
  ];
  return lines;
}

/** The text table of a breakdown's savings and waste, or '' when no group has any. */
export function renderSavingsText(
  breakdown: Breakdown,
  options: { style: Style; columns: number | undefined },
): string {
  const rows = breakdown.rows.filter(hasSavingsOrWaste);
  if (rows.length === 0) return '';
  const columns: TextColumn[] = [
    { header: keyHeader(breakdown.by), align: 'left', flexible: true },
    ...savingsHeaders.map((header): TextColumn => ({ header, align: 'right' })),
  ];
  const table = renderTextTable(
    columns,
    rows.map((row) => [terminalSafe(row.key), ...cellsOf(row)]),
    { maxWidth: options.columns, header: options.style.dim },
  );
  return `${options.style.bold(`Savings and waste ${breakdownTitle(breakdown.by).replace(/^By/, 'by')}`)}\n${table}`;
}

/** The extra CSV columns of a breakdown row. */
export const savingsCsvHeader = [
  'prompt_caching_saved_usd',
  'response_caching_saved_usd',
  'response_cache_hits',
  'response_cache_hits_without_source',
  'cancelled_generations',
  'cancelled_spend_usd',
  'errored_generations',
  'errored_spend_usd',
  'failed_attempts',
  'failed_attempts_latency_ms',
];

/** The values of {@link savingsCsvHeader} for one row. */
export function savingsCsvCells({ savings, waste }: BreakdownRow): number[] {
  return [
    savings.promptCachingUsd,
    savings.responseCachingUsd,
    savings.responseCacheHits,
    savings.responseCacheHitsWithoutSource,
    waste.cancelled.generations,
    waste.cancelled.spendUsd,
    waste.errored.generations,
    waste.errored.spendUsd,
    waste.failedAttempts.count,
    waste.failedAttempts.latencyMs,
  ];
}

/** The HTML section of savings and waste: totals, then each breakdown's groups that have any. */
export function savingsSectionHtml(report: ReportData): string {
  const headers = savingsHeaders
    .map((header) => `<th>${escapeHtml(header.toLowerCase())}</th>`)
    .join('');
  const rowHtml = (key: string, row: { savings: Savings; waste: Waste }) =>
    `<tr data-key="${escapeHtml(key)}" data-prompt-caching-usd="${row.savings.promptCachingUsd}" data-response-caching-usd="${row.savings.responseCachingUsd}"><td>${escapeHtml(key)}</td>${cellsOf(
      row,
    )
      .map((cell) => `<td>${escapeHtml(cell)}</td>`)
      .join('')}</tr>`;
  const tables = report.breakdowns
    .map((breakdown) => {
      const rows = breakdown.rows.filter(hasSavingsOrWaste).slice(0, 100);
      if (rows.length === 0) return '';
      return `<h3 class="muted">${escapeHtml(breakdownTitle(breakdown.by))}</h3><table class="groups" data-savings-by="${escapeHtml(breakdown.by)}"><thead><tr><th>${escapeHtml(keyHeader(breakdown.by))}</th>${headers}</tr></thead><tbody>${rows.map((row) => rowHtml(row.key, row)).join('')}</tbody></table>`;
    })
    .join('');
  return `<section data-section="savings"><h2>Savings and waste</h2><table class="groups"><thead><tr><th></th>${headers}</tr></thead><tbody>${rowHtml('all', report)}</tbody></table>${tables}</section>`;
}
