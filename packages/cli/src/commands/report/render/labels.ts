import { formatUsd } from '@genmeta/core';
import type { ReasonCounts, ReportData } from '../report-data.js';

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `12,345`. */
export function formatCount(value: number): string {
  return integerFormat.format(value);
}

/** `1 line`, `3 lines`. */
export function countOf(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** `62.1%`, or `-` when there is no known spend to share. */
export function formatShare(share: number | null): string {
  return share === null ? '-' : `${(share * 100).toFixed(1)}%`;
}

/**
 * Known spend as a person should read it: `$1.23`, or `≥ $1.23` (`>= $1.23` in plain text)
 * when some spend is unknown: a lower bound, never a total with unknown counted as 0.
 */
export function formatKnownSpend(amount: number, unknownCount: number, unicode = true): string {
  if (unknownCount === 0) return formatUsd(amount);
  return `${unicode ? '≥' : '>='} ${formatUsd(amount)}`;
}

/** `not_found 3, spend_unknown 1`, most frequent first. */
export function formatReasons(reasons: ReasonCounts): string {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, count]) => `${reason} ${formatCount(count)}`)
    .join(', ');
}

/** `2026-11-26 10:00Z`: minutes are enough for a period. */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}

/** `2026-11-20 08:00Z → 2026-11-26 17:59Z`, or `no records`. */
export function formatPeriod(period: ReportData['period'], unicode = true): string {
  if (period === null) return 'no records';
  const arrow = unicode ? '→' : '->';
  return `${formatInstant(period.from)} ${arrow} ${formatInstant(period.to)}`;
}

/** The title of a breakdown: `By model`, `By attribute "user"`. */
export function breakdownTitle(by: string): string {
  if (by.startsWith('attribute:')) return `By attribute "${by.slice('attribute:'.length)}"`;
  return `By ${by.replace('_', ' ')}`;
}

/** The header of a breakdown's key column. */
export function keyHeader(by: string): string {
  return (by.startsWith('attribute:') ? by.slice('attribute:'.length) : by).toUpperCase();
}
