import { csvValue } from '../internal/csv.js';
import { savingsCsvCells, savingsCsvHeader } from './render-savings.js';
import type { ReportData } from './report-data.js';

const header = [
  'by',
  'key',
  'requests',
  'generations',
  'known_spend_usd',
  'unknown_count',
  'share',
  ...savingsCsvHeader,
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
        ...savingsCsvCells(row),
      ];
      text += `${cells.map((cell) => csvValue(cell)).join(',')}\n`;
    }
  }
  return text;
}
