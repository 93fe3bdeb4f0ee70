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
