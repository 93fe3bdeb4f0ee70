import { csvRow } from '../../shared/text/csv.js';
import type { ReconcileResult } from './compare.js';

/** One row per difference: untracked, phantom and mismatched generations (formula-safe cells). */
export function renderReconcileCsv(result: ReconcileResult): string {
  let text = csvRow(['kind', 'id', 'recorded_usd', 'billed_usd', 'diff_usd', 'model', 'provider']);
  for (const row of result.untracked) {
    text += csvRow([
      'untracked',
      row.id,
      '',
      row.usd,
      row.usd,
      row.model ?? '',
      row.provider ?? '',
    ]);
  }
  for (const row of result.phantom) {
    text += csvRow([
      'phantom',
      row.id,
      row.usd ?? '',
      '',
      row.usd === null ? '' : -row.usd,
      '',
      '',
    ]);
  }
  for (const row of result.mismatched) {
    text += csvRow(['mismatched', row.id, row.recordedUsd, row.billedUsd, row.diffUsd, '', '']);
  }
  return text;
}
