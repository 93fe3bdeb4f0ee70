import type { GenmetaClient } from '@genmeta/core';
import { getActivity } from '@genmeta/core/api';
import { picoUsdToUsd, usdToPicoUsd } from '@genmeta/core/rules';
import type { BilledSet } from './billed.js';
import type { ActivityDay } from './compare.js';

const dayMs = 86_400_000;

/** The UTC days wholly inside [fromMs, toMs) that `/activity` covers: completed, last 30. */
export function completedDays(fromMs: number, toMs: number, now: number): string[] {
  const today = Math.floor(now / dayMs) * dayMs;
  const days: string[] = [];
  for (
    let day = Math.ceil(fromMs / dayMs) * dayMs;
    day + dayMs <= Math.min(toMs, today);
    day += dayMs
  ) {
    if (day >= today - 30 * dayMs) days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * `/activity`'s total (credits plus BYOK inference) of each completed day beside the sum of
 * that day's per-generation rows: one request for one day, one for several.
 */
export async function activityDays(
  client: GenmetaClient,
  billed: BilledSet,
  days: readonly string[],
  signal: AbortSignal | undefined,
): Promise<ActivityDay[]> {
  if (days.length === 0) return [];
  const items = await getActivity(client, {
    signal,
    ...(days.length === 1 ? { date: days[0] } : {}),
  });
  const activity = new Map<string, bigint>(days.map((day) => [day, 0n]));
  for (const item of items) {
    const sum = activity.get(item.date);
    if (sum === undefined) continue;
    activity.set(
      item.date,
      sum + usdToPicoUsd(item.usage) + usdToPicoUsd(item.byok_usage_inference ?? 0),
    );
  }
  const generations = new Map<string, bigint>(days.map((day) => [day, 0n]));
  for (const bill of billed.generations.values()) {
    const sum = generations.get(bill.day);
    if (sum !== undefined) generations.set(bill.day, sum + bill.total);
  }
  return days.map((date) => ({
    date,
    activityUsd: picoUsdToUsd(activity.get(date) ?? 0n),
    generationsUsd: picoUsdToUsd(generations.get(date) ?? 0n),
  }));
}
