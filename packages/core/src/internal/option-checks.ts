/**
 * Numeric option checks, for every genmeta package: a value of the wrong type is a TypeError, a
 * number out of range (NaN, a fraction where an integer is wanted, Infinity) a RangeError, and
 * every message reads `<name> must be <what>, got <value>`. A `fallback` of `undefined` makes the
 * option required (undefined is then a TypeError). `name` says whose option it is
 * (`timeoutMs`, `costLogger: option "maxRecords"`).
 */

/** Longest delay a timer can take (2^31-1 ms, about 24.8 days): Node turns a longer one into 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** How a value is named in a message: a number as written, anything else by its type. */
export const shownValue = (value: unknown): string =>
  typeof value === 'number' ? String(value) : typeof value;

function checked(name: string, value: unknown, what: string, inRange: (n: number) => boolean) {
  if (typeof value !== 'number' || !inRange(value)) {
    const message = `${name} must be ${what}, got ${shownValue(value)}`;
    throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return value;
}

/**
 * `value` as an integer from `min` to `max` (`fallback` when undefined): a TypeError when it is
 * not a number, a RangeError when it is out of range or not an integer.
 */
export function checkInteger(
  name: string,
  value: unknown,
  fallback: number | undefined,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  return checked(
    name,
    value,
    `an integer from ${min} to ${max}`,
    (n) => Number.isSafeInteger(n) && n >= min && n <= max,
  );
}

/** `value` as a positive integer (`fallback` when undefined); see {@link checkInteger}. */
export function positiveInteger(
  name: string,
  value: unknown,
  fallback: number | undefined,
): number {
  return value === undefined && fallback !== undefined
    ? fallback
    : checked(name, value, 'a positive integer', (n) => Number.isSafeInteger(n) && n > 0);
}

/** `value` as an integer >= `minimum` (`fallback` when undefined); see {@link checkInteger}. */
export function integerAtLeast(
  name: string,
  value: unknown,
  fallback: number | undefined,
  minimum: number,
): number {
  return value === undefined && fallback !== undefined
    ? fallback
    : checked(
        name,
        value,
        `an integer >= ${minimum}`,
        (n) => Number.isSafeInteger(n) && n >= minimum,
      );
}

/**
 * `value`, or `fallback` when undefined, as a positive number of ms a timer can wait (at most
 * 2^31-1): a TypeError when not a number, a RangeError when out of range.
 */
export function positiveMs(name: string, value: unknown, fallback: number | undefined): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const ms = checked(name, value, 'a positive number of ms', (n) => n > 0);
  return checked(
    name,
    ms,
    `at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest timer)`,
    (n) => n <= MAX_TIMER_MS,
  );
}

/**
 * `value` as a finite number >= `min` (`fallback` when undefined), `unit` naming what it counts
 * (`'USD'`, `'ms'`): a TypeError when not a number, a RangeError when not finite or below `min`.
 */
export function finiteNumber(
  name: string,
  value: unknown,
  fallback: number | undefined,
  unit: string,
  min: number = Number.NEGATIVE_INFINITY,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const what =
    min === Number.NEGATIVE_INFINITY
      ? `a finite number of ${unit}`
      : `a finite number of ${unit} from ${min}`;
  return checked(name, value, what, (n) => Number.isFinite(n) && n >= min);
}

/** `value` as a finite number above 0 (`fallback` when undefined); see {@link finiteNumber}. */
export function positiveNumber(name: string, value: unknown, fallback: number | undefined): number {
  return value === undefined && fallback !== undefined
    ? fallback
    : checked(name, value, 'a finite number above 0', (n) => Number.isFinite(n) && n > 0);
}
