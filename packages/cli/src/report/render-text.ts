import type { Style } from '../internal/style.js';
import { renderBudgetsText } from './budgets.js';
import {
  breakdownTitle,
  countOf,
  formatCount,
  formatInstant,
  formatKnownSpend,
  formatPeriod,
  formatReasons,
  formatShare,
  keyHeader,
} from './labels.js';
import { renderSavingsText, savingsSummaryLines } from './render-savings.js';
import type { Breakdown, ReportData } from './report-data.js';
import { renderTextTable, type TextColumn, terminalSafe } from './text-table.js';

const barWidth = 16;
const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A share bar: Unicode eighth blocks when `unicode`, else `#` characters padded with `.`. */
export function shareBar(share: number | null, unicode: boolean): string {
  const fraction = share === null ? 0 : Math.min(1, Math.max(0, share));
  if (!unicode) {
    const filled = Math.round(fraction * barWidth);
    return `${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}`;
  }
  const units = Math.round(fraction * barWidth * 8);
  const bar = `${'█'.repeat(Math.floor(units / 8))}${eighths[units % 8]}`;
  return bar.padEnd(barWidth, ' ');
}

interface TextOptions {
  style: Style;
  /** terminal width, when writing to a terminal */
  columns: number | undefined;
}

function summaryLines(report: ReportData, unicode: boolean): string[] {
  const lines: [string, string][] = [
    ['period', formatPeriod(report.period, unicode)],
    [
      'requests',
      `${formatCount(report.requests)}${report.requestsWithUnknownSpend > 0 ? ` (${formatCount(report.requestsWithUnknownSpend)} with unknown spend)` : ''}`,
    ],
    [
      'generations',
      `${formatCount(report.generations.tracked)} tracked: ${formatCount(report.generations.resolved)} resolved, ${formatCount(report.generations.unresolved)} unresolved`,
    ],
    ['known spend', formatKnownSpend(report.knownSpendUsd, report.unknownSpend.count, unicode)],
    [
      'unknown',
      report.unknownSpend.count === 0
        ? 'none: every spend is known'
        : `${countOf(report.unknownSpend.count, 'generation')} not counted (${formatReasons(report.unknownSpend.reasons)})`,
    ],
  ];
  if (report.unresolved.count > 0) {
    lines.push(['unresolved', formatReasons(report.unresolved.reasons)]);
  }
  if (report.skippedLines.count > 0) {
    lines.push([
      'skipped',
      `${countOf(report.skippedLines.count, 'line')} (${formatReasons(report.skippedLines.reasons)})`,
    ]);
  }
  lines.push(...savingsSummaryLines(report));
  return lines.map(([label, value]) => `  ${label.padEnd(12)} ${value}`);
}

const breakdownColumns = (by: string): TextColumn[] => [
  { header: keyHeader(by), align: 'left', flexible: true },
  { header: 'REQUESTS', align: 'right' },
  { header: 'GENERATIONS', align: 'right' },
  { header: 'KNOWN SPEND', align: 'right' },
  { header: 'UNKNOWN', align: 'right' },
  { header: 'SHARE', align: 'right' },
];

function renderBreakdown(breakdown: Breakdown, options: TextOptions): string {
  const { style } = options;
  const unicode = style.enabled;
  const rows = breakdown.rows.map((row) => [
    terminalSafe(row.key),
    formatCount(row.requests),
    formatCount(row.generations),
    formatKnownSpend(row.knownSpendUsd, row.unknownCount, unicode),
    row.unknownCount === 0 ? '-' : formatCount(row.unknownCount),
    formatShare(row.share),
  ]);
  const table = renderTextTable(breakdownColumns(breakdown.by), rows, {
    maxWidth: options.columns,
    suffixes: breakdown.rows.map((row) => style.cyan(shareBar(row.share, unicode))),
    suffixWidth: barWidth + 2,
    header: style.dim,
  });
  const note = breakdown.folded
    ? `\n  ${style.dim('(other) sums the values past the first 10,000 distinct ones')}`
    : '';
  return `${style.bold(breakdownTitle(breakdown.by))}\n${breakdown.rows.length === 0 ? '  (no records)' : table}${note}`;
}

function renderTop(report: ReportData, options: TextOptions): string {
  const unicode = options.style.enabled;
  const columns: TextColumn[] = [
    { header: 'KNOWN SPEND', align: 'right' },
    { header: 'STARTED', align: 'left' },
    { header: 'METHOD', align: 'left' },
    { header: 'ROUTE', align: 'left', flexible: true },
    { header: 'STATUS', align: 'right' },
    { header: 'GENERATIONS', align: 'right' },
    { header: 'REQUEST ID', align: 'left' },
  ];
  const rows = report.top.map((request) => [
    formatKnownSpend(request.knownSpendUsd, request.spendComplete ? 0 : 1, unicode),
    formatInstant(request.startedAt),
    terminalSafe(request.method),
    terminalSafe(request.route ?? request.path),
    String(request.statusCode),
    formatCount(request.generations),
    terminalSafe(request.requestId),
  ]);
  const table = renderTextTable(columns, rows, {
    maxWidth: options.columns,
    maxFlexibleWidth: 40,
    header: options.style.dim,
  });
  return `${options.style.bold(`Top ${report.top.length} requests by known spend`)}\n${table}`;
}

/** The terminal report: the summary, each breakdown as a table with share bars, the top list. */
export function renderReportText(report: ReportData, options: TextOptions): string {
  const { style } = options;
  const inputs = report.inputs.length === 1 ? '1 input' : `${report.inputs.length} inputs`;
  const sections = [
    `${style.bold('genmeta report')} ${style.dim(`(${inputs})`)}\n${summaryLines(report, style.enabled).join('\n')}`,
    ...report.breakdowns.map((breakdown) => renderBreakdown(breakdown, options)),
    ...report.breakdowns.map((breakdown) => renderSavingsText(breakdown, options)).filter(Boolean),
  ];
  if (report.top.length > 0) sections.push(renderTop(report, options));
  return `${sections.join('\n\n')}\n${renderBudgetsText(report.budgets ?? [], style)}`;
}
