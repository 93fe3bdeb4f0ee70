import { checkInteger, finiteNumber, MAX_TIMER_MS } from '@genmeta/core/rules';

// Numeric options follow core's rule (a TypeError for a non-number, a RangeError out of range,
// one message style); `owner: option "name"` says whose option it is.

/**
 * An integer option checked at the factory: NaN, fractions, out-of-range values (and
 * Infinity) throw a RangeError naming the option, instead of meaning "no limit" by accident.
 */
export function integerOption(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  return checkInteger(`${owner}: option "${name}"`, value, fallback, min, max);
}

/** A duration option in ms (an integer a timer can wait). */
export function durationOption(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  min = 0,
): number {
  return integerOption(owner, name, value, fallback, min, MAX_TIMER_MS);
}

/** A USD amount option: a finite number >= 0, else an error naming the option. */
export function amountOption(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
): number {
  return finiteNumber(`${owner}: option "${name}"`, value, fallback, 'USD', 0);
}

/** An option that takes one of a few strings, else a RangeError naming the option and them. */
export function choiceOption<T extends string>(
  owner: string,
  name: string,
  value: unknown,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value))
    return value as T;
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  throw new RangeError(
    `${owner}: option "${name}" must be one of ${choices.map((choice) => `'${choice}'`).join(', ')} (got ${shown})`,
  );
}
