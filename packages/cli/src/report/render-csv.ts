import type { ReportData } from './report-data.js';

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One CSV cell: numbers as they are, null empty, text quoted when it holds a comma, quote or
 * line break (RFC 4180) and prefixed with `'` when a spreadsheet would read it as a formula.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const header = [
  'by',
  'key',
  'requests',
  'generations',
  'known_spend_usd',
  'unknown_count',
  'share',
];

/** `--csv`: a header, then one row per group of every breakdown, in the order asked. */
export function renderReportCsv(report: ReportData): string {
  let text = `${header.join(',')}\n`;
  for (const breakdown of report.breakdowns) {
    for (const row of breakdown.rows) {
      const cells = [
        breakdown.by,
        row.key,
        row.requests,
        row.generations,
        row.knownSpendUsd,
        row.unknownCount,
        row.share,
      ];
      text += `${cells.map(csvCell).join(',')}\n`;
    }
  }
  return text;
}
