// TEMPORARY STAND-IN, a copy of the calendar window rule that @genmeta/core/engine gets with
// spendLimit's calendar windows (`windowOf`, `checkSpendWindow`). Delete this file and import
// them from '@genmeta/core/engine' once they are there: one home per rule.

/**
 * A spend window: a calendar period in UTC (`'day'`; `'week'`, starting Monday 00:00 UTC;
 * `'month'`), or a length in ms (`{ windowMs }`).
 */
export type SpendWindow = 'day' | 'week' | 'month' | { readonly windowMs: number };

/** One period of a window, as {@link windowOf} answers it. */
export interface WindowRange {
  /** First ms of the period (inclusive), ms since the epoch. */
  startMs: number;
  /** First ms after the period (exclusive). */
  endMs: number;
  /** Names the period, the same for every instant in it: `day:2026-12-07`, `week:2026-12-07` (its Monday), `month:2026-12`, `60000ms:29446080`. */
  id: string;
}

/** One day, ms. */
const DAY_MS = 86_400_000;

/** The longest window a store keeps: 100 years of 366 days (any budget a user can mean). */
const MAX_WINDOW_MS = 100 * 366 * DAY_MS;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function isoDay(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * Checks a window given by a user: the window itself, or a TypeError/RangeError naming `owner`
 * and `option`. A `{ windowMs }` must be an integer from 1 to {@link MAX_WINDOW_MS}.
 */
export function checkSpendWindow(owner: string, option: string, value: unknown): SpendWindow {
  if (value === 'day' || value === 'week' || value === 'month') return value;
  if (typeof value === 'object' && value !== null && 'windowMs' in value) {
    const { windowMs } = value as { windowMs: unknown };
    if (
      typeof windowMs === 'number' &&
      Number.isInteger(windowMs) &&
      windowMs >= 1 &&
      windowMs <= MAX_WINDOW_MS
    ) {
      return { windowMs };
    }
    throw new RangeError(
      `${owner}: option "${option}" must have windowMs, an integer of ms from 1 to ${MAX_WINDOW_MS} (got ${String(windowMs)})`,
    );
  }
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  throw new TypeError(
    `${owner}: option "${option}" must be 'day', 'week', 'month' (UTC) or { windowMs } (got ${shown})`,
  );
}

/**
 * The period of `window` that holds `atMs`. Calendar windows are UTC (a week starts Monday
 * 00:00 UTC); a `{ windowMs }` window is cut into fixed periods of that length from the epoch
 * (what "once per window" means for a sliding window).
 */
export function windowOf(window: SpendWindow, atMs: number): WindowRange {
  if (window === 'day' || window === 'week') {
    const day = Math.floor(atMs / DAY_MS);
    // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays
    const first = window === 'day' ? day : day - ((((day + 3) % 7) + 7) % 7);
    const startMs = first * DAY_MS;
    const endMs = startMs + (window === 'day' ? DAY_MS : 7 * DAY_MS);
    return { startMs, endMs, id: `${window}:${isoDay(startMs)}` };
  }
  if (window === 'month') {
    const date = new Date(atMs);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    return {
      startMs: Date.UTC(year, month, 1),
      endMs: Date.UTC(year, month + 1, 1),
      id: `month:${year}-${pad(month + 1)}`,
    };
  }
  const { windowMs } = window;
  const index = Math.floor(atMs / windowMs);
  return {
    startMs: index * windowMs,
    endMs: (index + 1) * windowMs,
    id: `${windowMs}ms:${index}`,
  };
}
