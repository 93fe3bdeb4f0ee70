/** Robust level and scale of a group's recent spend per interval. */
export interface HistoryStats {
  median: number;
  /** max(1.4826 × MAD, 0.25 × median, mean): never below the history's own mean level. */
  scale: number;
}

function medianOf(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The median and a robust scale of the history. 1.4826 × MAD (median absolute deviation) is the
 * standard deviation of normal data, unmoved by a few outliers. The floors keep a steady history
 * (MAD 0) or a sparse one (median 0) from turning any small rise into an alert.
 */
export function historyStats(history: readonly number[]): HistoryStats {
  const sorted = [...history].sort((a, b) => a - b);
  const median = medianOf(sorted);
  const deviations = sorted.map((value) => Math.abs(value - median)).sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { median, scale: Math.max(1.4826 * medianOf(deviations), 0.25 * median, mean) };
}

/** How far `value` is above the history, in robust scales (Infinity over an all-zero history). */
export function anomalyScore(value: number, stats: HistoryStats): number {
  const above = value - stats.median;
  if (stats.scale === 0) return above > 0 ? Number.POSITIVE_INFINITY : 0;
  return above / stats.scale;
}
