// TEMPORARY STAND-IN: the calendar window rule belongs in @genmeta/core/engine (`windowOf`, with
// spendLimit's calendar windows). Delete this file and import core's once it is there.

/** A spend window: a UTC calendar `day`, `week` (Monday to Monday) or `month`, or fixed `windowMs` slices. */
export type SpendWindow = 'day' | 'week' | 'month' | { windowMs: number };

/** The window holding an instant: `[startMs, endMs)` and an id that names it. */
export interface WindowBounds {
  startMs: number;
  endMs: number;
  id: string;
}

const DAY_MS = 86_400_000;

/** The window that holds `atMs` (UTC). `{ windowMs }` slices time from the epoch. */
export function windowOf(window: SpendWindow, atMs: number): WindowBounds {
  if (typeof window === 'object') {
    const startMs = Math.floor(atMs / window.windowMs) * window.windowMs;
    return { startMs, endMs: startMs + window.windowMs, id: `${window.windowMs}ms-${startMs}` };
  }
  const date = new Date(atMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (window === 'month') {
    const startMs = Date.UTC(year, month, 1);
    return {
      startMs,
      endMs: Date.UTC(year, month + 1, 1),
      id: new Date(startMs).toISOString().slice(0, 7),
    };
  }
  const dayStartMs = Date.UTC(year, month, date.getUTCDate());
  if (window === 'day') {
    return {
      startMs: dayStartMs,
      endMs: dayStartMs + DAY_MS,
      id: new Date(dayStartMs).toISOString().slice(0, 10),
    };
  }
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  const startMs = dayStartMs - sinceMonday * DAY_MS;
  return {
    startMs,
    endMs: startMs + 7 * DAY_MS,
    id: `week-${new Date(startMs).toISOString().slice(0, 10)}`,
  };
}
