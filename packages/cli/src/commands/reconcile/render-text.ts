import { formatUsd } from '@genmeta/core';
import { printable } from '../../shared/text/terminal-text.js';
import type { ActivityDay, ReconcileResult } from './compare.js';

/** Rows listed per kind of difference in the text output (`--json` and `--csv` list all). */
const listed = 20;

const usd = (amount: number | null): string => (amount === null ? 'unknown' : formatUsd(amount));
const signed = (amount: number): string =>
  amount > 0 ? `+${formatUsd(amount)}` : amount < 0 ? `-${formatUsd(-amount)}` : formatUsd(0);

function more(total: number): string {
  return total > listed ? `  ... and ${total - listed} more (see --json or --csv)\n` : '';
}

/** The human-readable verdict. */
export function renderReconcileText(
  result: ReconcileResult,
  activity: readonly ActivityDay[],
): string {
  let text = `Reconcile ${result.from} .. ${result.to}\n\n`;
  text += `  billed     ${String(result.billed.generations).padStart(8)} generations  ${usd(result.billed.usd)}\n`;
  text += `  recorded   ${String(result.recorded.generations).padStart(8)} generations  ${usd(result.recorded.usd)}\n`;
  text += `  matched    ${String(result.matched).padStart(8)}\n`;
  text += `  drift      ${signed(result.driftUsd)} (billed minus recorded)\n`;
  if (result.untracked.length > 0) {
    text += `\nUntracked: billed, in no record (${result.untracked.length}, ${usd(result.untrackedUsd)})\n`;
    for (const row of result.untracked.slice(0, listed)) {
      text += `  ${printable(row.id, 80)}  ${usd(row.usd)}  ${printable(row.model ?? '-', 60)}  ${printable(row.provider ?? '-', 40)}\n`;
    }
    text += more(result.untracked.length);
  }
  if (result.phantom.length > 0) {
    text += `\nPhantom: recorded, not billed (${result.phantom.length})\n`;
    for (const row of result.phantom.slice(0, listed))
      text += `  ${printable(row.id, 80)}  ${usd(row.usd)}\n`;
    text += more(result.phantom.length);
  }
  if (result.mismatched.length > 0) {
    text += `\nMismatched: recorded and billed differ (${result.mismatched.length})\n`;
    for (const row of result.mismatched.slice(0, listed)) {
      text += `  ${printable(row.id, 80)}  recorded ${usd(row.recordedUsd)}  billed ${usd(row.billedUsd)}  diff ${signed(row.diffUsd)}\n`;
    }
    text += more(result.mismatched.length);
  }
  if (activity.length > 0) {
    text += '\nCompleted days: /activity beside the per-generation rows\n';
    for (const day of activity) {
      text += `  ${day.date}  activity ${usd(day.activityUsd)}  generations ${usd(day.generationsUsd)}\n`;
    }
  }
  text += result.reconciled ? '\nReconciled.\n' : '\nNOT reconciled.\n';
  return text;
}
