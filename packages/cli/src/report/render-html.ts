import { formatUsd } from '@genmeta/core';
import { renderBudgetsHtml } from './budgets.js';
import { escapeHtml } from './escape-html.js';
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
import { savingsSectionHtml } from './render-savings.js';
import type { Breakdown, ReportData } from './report-data.js';
import { barChart, timelineChart } from './svg-charts.js';

/** Rows of a breakdown table in the HTML; the chart shows the first dozen. */
const maxTableRows = 100;

// No script, no external anything: the policy makes the browser refuse both even if a log value
// got past escaping.
export const contentPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export const css = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2430; background: #f6f7f9; }
body { margin: 0 auto; max-width: 820px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
.muted { color: #6b7280; font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin-top: 16px; }
.card { background: #fff; border: 1px solid #e3e6ec; border-radius: 8px; padding: 10px 12px; }
.card .label { font-size: 12px; color: #6b7280; }
.card .value { font-size: 20px; font-weight: 600; margin-top: 2px; }
.card.warn .value { color: #b4690e; }
.note { font-size: 13px; margin-top: 10px; }
section { background: #fff; border: 1px solid #e3e6ec; border-radius: 8px; padding: 12px 16px; margin-top: 16px; }
section h2 { margin-top: 0; }
.chart { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-top: 8px; }
th, td { padding: 4px 6px; border-bottom: 1px solid #eef0f3; text-align: right; white-space: nowrap; }
th { color: #6b7280; font-weight: 500; }
table.groups th:first-child, table.groups td:first-child { text-align: left; white-space: normal; word-break: break-all; }
td.text, th.text { text-align: left; }
td.wrap { white-space: normal; }
.legend { font-size: 12px; color: #6b7280; margin-top: 4px; }
.legend .unknown { display: inline-block; width: 10px; height: 3px; background: #d98a1c; vertical-align: middle; }
`;

function card(label: string, value: string, metric: string, extra = '', warn = false): string {
  return `<div class="card${warn ? ' warn' : ''}"><div class="label">${escapeHtml(label)}</div><div class="value" data-metric="${metric}"${extra}>${escapeHtml(value)}</div></div>`;
}

function summary(report: ReportData): string {
  const cards = [
    card('requests', formatCount(report.requests), 'requests', ` data-value="${report.requests}"`),
    card(
      'generations',
      formatCount(report.generations.tracked),
      'generations',
      ` data-value="${report.generations.tracked}"`,
    ),
    card(
      'known spend',
      formatKnownSpend(report.knownSpendUsd, report.unknownSpend.count),
      'known-spend',
      ` data-usd="${report.knownSpendUsd}"`,
    ),
    card(
      'generations with unknown spend',
      formatCount(report.unknownSpend.count),
      'unknown-count',
      ` data-value="${report.unknownSpend.count}"`,
      report.unknownSpend.count > 0,
    ),
  ];
  const notes: string[] = [];
  if (report.unknownSpend.count > 0) {
    notes.push(
      `Known spend is a lower bound: ${countOf(report.unknownSpend.count, 'generation')} without a known cost ${report.unknownSpend.count === 1 ? 'is' : 'are'} not counted (${formatReasons(report.unknownSpend.reasons)}).`,
    );
  }
  if (report.skippedLines.count > 0) {
    notes.push(
      `Skipped ${countOf(report.skippedLines.count, 'input line')} that ${report.skippedLines.count === 1 ? 'is' : 'are'} not cost records (${formatReasons(report.skippedLines.reasons)}).`,
    );
  }
  const noteHtml = notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('');
  return `<div class="cards">${cards.join('')}</div>${noteHtml}`;
}

function breakdownSection(breakdown: Breakdown): string {
  const title = breakdownTitle(breakdown.by);
  const rows = breakdown.rows
    .slice(0, maxTableRows)
    .map(
      (row) =>
        `<tr data-key="${escapeHtml(row.key)}"><td>${escapeHtml(row.key)}</td><td data-field="requests">${formatCount(row.requests)}</td><td data-field="generations">${formatCount(row.generations)}</td><td data-field="known-spend" data-usd="${row.knownSpendUsd}">${escapeHtml(formatUsd(row.knownSpendUsd))}</td><td data-field="unknown">${row.unknownCount === 0 ? '-' : formatCount(row.unknownCount)}</td><td>${formatShare(row.share)}</td></tr>`,
    );
  const more =
    breakdown.rows.length > maxTableRows
      ? `<p class="muted">and ${formatCount(breakdown.rows.length - maxTableRows)} more rows (see --csv)</p>`
      : '';
  return `<section data-breakdown="${escapeHtml(breakdown.by)}"><h2>${escapeHtml(title)}</h2>${barChart(breakdown.rows, title)}<table class="groups"><thead><tr><th>${escapeHtml(keyHeader(breakdown.by))}</th><th>requests</th><th>generations</th><th>known spend</th><th>unknown</th><th>share</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}</section>`;
}

function topSection(report: ReportData): string {
  if (report.top.length === 0) return '';
  const rows = report.top.map(
    (request) =>
      `<tr data-request-id="${escapeHtml(request.requestId)}"><td>${escapeHtml(formatKnownSpend(request.knownSpendUsd, request.spendComplete ? 0 : 1))}</td><td class="text">${escapeHtml(formatInstant(request.startedAt))}</td><td class="text">${escapeHtml(`${request.method} ${request.route ?? request.path}`)}</td><td>${request.statusCode}</td><td>${formatCount(request.generations)}</td><td class="text wrap">${escapeHtml(request.models.join(', '))}</td><td class="text">${escapeHtml(request.requestId)}</td></tr>`,
  );
  return `<section data-section="top"><h2>Most expensive requests</h2><table><thead><tr><th>known spend</th><th class="text">started</th><th class="text">request</th><th>status</th><th>generations</th><th class="text">models</th><th class="text">request id</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/**
 * The self-contained HTML report: inline CSS and SVG, no script, no network. Every value from
 * the logs is escaped.
 */
export function renderReportHtml(report: ReportData, options: { generatedAt: Date }): string {
  const unit = report.timeline.unit === 'day' ? 'day' : 'hour';
  const timeline =
    report.timeline.points.length === 0
      ? ''
      : `<section data-section="timeline"><h2>Known spend by ${unit}</h2>${timelineChart(report.timeline)}${report.unknownSpend.count > 0 ? `<div class="legend"><span class="unknown"></span> some spend of that ${unit} is unknown (not counted)</div>` : ''}</section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>genmeta report</title>
<style>${css}</style>
</head>
<body>
<h1>genmeta report</h1>
<div class="muted" data-metric="period">${escapeHtml(formatPeriod(report.period))} · generated ${escapeHtml(formatInstant(options.generatedAt.toISOString()))}</div>
${summary(report)}
${timeline}
${report.breakdowns.map(breakdownSection).join('\n')}
${renderBudgetsHtml(report.budgets ?? [])}
${savingsSectionHtml(report)}
${topSection(report)}
</body>
</html>
`;
}
