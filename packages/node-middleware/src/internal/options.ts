/** Largest delay a Node timer honours (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const shown = typeof value === 'number' ? String(value) : typeof value;
    throw new RangeError(
      `${owner}: option "${name}" must be an integer from ${min} to ${max} (got ${shown})`,
    );
  }
  return value;
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

/** A USD amount option: a finite number >= 0, else a RangeError naming the option. */
export function amountOption(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    const shown = typeof value === 'number' ? String(value) : typeof value;
    throw new RangeError(
      `${owner}: option "${name}" must be a finite number of USD from 0 (got ${shown})`,
    );
  }
  return value;
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
