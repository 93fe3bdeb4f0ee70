/** Units of {@link usdToPicoUsd}: 1e-12 USD, the resolution of `roundUsd`. */
const DIGITS = 12;

/**
 * `usd` as an exact integer count of 1e-12 USD (rounded there), so sums are exact and do not
 * depend on the order they are added in. Throws a RangeError for a non-finite amount.
 */
export function usdToPicoUsd(usd: number): bigint {
  if (!Number.isFinite(usd)) throw new RangeError(`not a finite USD amount: ${String(usd)}`);
  // toFixed expands the double exactly before rounding: no float noise past the 12th digit.
  return BigInt(usd.toFixed(DIGITS).replace('.', ''));
}

/** An amount in 1e-12 USD back as USD (the nearest double). */
export function picoUsdToUsd(units: bigint): number {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(DIGITS + 1, '0');
  const text = `${digits.slice(0, -DIGITS)}.${digits.slice(-DIGITS)}`;
  return negative ? -Number(text) : Number(text);
}

/** The exact sum of USD amounts (in 1e-12 USD, whatever their order), back as USD. */
export function sumUsd(amounts: Iterable<number>): number {
  let units = 0n;
  for (const amount of amounts) units += usdToPicoUsd(amount);
  return picoUsdToUsd(units);
}

/** Units of {@link usdToSumUnits}: 1e-10 USD. */
const SUM_UNITS_PER_USD = 1e10;

/**
 * `usd` as an integer count of 1e-10 USD held in a number, for hot loops and typed arrays where
 * a bigint per amount costs too much: sums stay exact, in any order, up to about $900,000
 * (2^53 units). Past that, or for one exact total, use {@link usdToPicoUsd}.
 */
export function usdToSumUnits(usd: number): number {
  return Math.round(usd * SUM_UNITS_PER_USD);
}

/** A count of {@link usdToSumUnits} units back as USD. */
export function sumUnitsToUsd(units: number): number {
  return units / SUM_UNITS_PER_USD;
}
