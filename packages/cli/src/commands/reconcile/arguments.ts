import { printable } from '../../shared/text/terminal-text.js';
import { UsageError } from '../../shared/usage-errors.js';

/** What `genmeta reconcile` needs from argv beyond the common flags. */
export interface ReconcileSettings {
  /** start of the window, epoch ms (inclusive) */
  fromMs: number;
  /**
   * end of the window, epoch ms (exclusive); never past the millisecond the command started in
   * (that millisecond included)
   */
  toMs: number;
  /** largest untracked total and largest mismatch still reconciled, USD */
  toleranceUsd: number;
  /** where to write the HTML page, when asked */
  htmlFile: string | undefined;
}

/** Flags only `genmeta reconcile` takes, for `parseArgs`. */
export const reconcileFlagDefinitions = {
  date: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'tolerance-usd': { type: 'string' },
} as const;

/** `generation_id` analytics reach 31 days: the longest window one reconcile covers. */
export const maxWindowDays = 31;
export const defaultToleranceUsd = 0.000001;
const dayMs = 86_400_000;

function usage(message: string): UsageError {
  return new UsageError(message, 'reconcile');
}

function parseDay(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const ms = match
    ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
    : Number.NaN;
  // Date.UTC rolls 2026-02-30 over to March: a real day reads back the same.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value.trim()) {
    throw usage(`--date "${printable(value)}" is not a day: use YYYY-MM-DD (UTC), like 2026-03-01`);
  }
  return ms;
}

function parseInstant(value: string, flag: string): number {
  const text = value.trim();
  // An ISO date, or an ISO date-time with a zone (a time without one would depend on the machine).
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
  const ms = iso.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw usage(
      `${flag} "${printable(value)}" is not an ISO time: use 2026-03-01T00:00:00Z (a zone is required) or 2026-03-01`,
    );
  }
  return ms;
}

function parseTolerance(value: string | undefined): number {
  if (value === undefined) return defaultToleranceUsd;
  const text = value.trim();
  const amount = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(amount)) {
    throw usage(
      `--tolerance-usd must be a non-negative amount in USD, like 0.01; got "${printable(value)}"`,
    );
  }
  return amount;
}

/**
 * Checks the reconcile flags against the command: a window (`--date`, or `--from` with `--to`),
 * not reversed, not in the future, at most 31 days. Returns the settings, or undefined for other
 * commands (which must not use these flags).
 */
export function parseReconcileFlags(
  command: string,
  values: {
    date: string | undefined;
    from: string | undefined;
    to: string | undefined;
    tolerance: string | undefined;
    html: string | undefined;
  },
  now: number = Date.now(),
): ReconcileSettings | undefined {
  if (command !== 'reconcile') {
    const used = (['date', 'from', 'to', 'tolerance'] as const).find(
      (name) => values[name] !== undefined,
    );
    if (used) {
      throw new UsageError(
        `--${used === 'tolerance' ? 'tolerance-usd' : used} applies to "genmeta reconcile" only`,
      );
    }
    return undefined;
  }
  const { date, from, to } = values;
  let fromMs: number;
  let toMs: number;
  if (date !== undefined) {
    if (from !== undefined || to !== undefined)
      throw usage('give either --date or --from and --to, not both');
    fromMs = parseDay(date);
    toMs = fromMs + dayMs;
  } else if (from !== undefined && to !== undefined) {
    fromMs = parseInstant(from, '--from');
    toMs = parseInstant(to, '--to');
  } else {
    throw usage(
      from !== undefined || to !== undefined
        ? '--from and --to go together'
        : 'which window? give --date YYYY-MM-DD, or --from ISO --to ISO',
    );
  }
  if (toMs <= fromMs) throw usage('the window is reversed or empty: --to must come after --from');
  if (fromMs >= now) throw usage('the window is in the future: nothing can have been billed yet');
  if (toMs - fromMs > maxWindowDays * dayMs) {
    throw usage(
      `the window is longer than ${maxWindowDays} days (OpenRouter keeps per-generation analytics for 31-day ranges): reconcile it in parts`,
    );
  }
  if (values.html !== undefined && values.html.trim() === '') {
    throw usage('--html needs a file name, like --html reconcile.html');
  }
  // `now` is the start of the millisecond the command started in, and the end is exclusive: a
  // generation billed earlier in that same millisecond has `created_at` === now, so the end is
  // the next millisecond, not now, or it would fall out of both sides of the verdict.
  return {
    fromMs,
    toMs: Math.min(toMs, now + 1),
    toleranceUsd: parseTolerance(values.tolerance),
    htmlFile: values.html,
  };
}
