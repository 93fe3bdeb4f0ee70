// Spend is summed in integer units of 1e-10 USD: float sums would depend on the order records
// are read in (and print 0.30000000000000004); integers stay exact up to $900,000.
const unitsPerUsd = 1e10;

/** USD to integer units of 1e-10 USD. */
export function toUnits(usd: number): number {
  return Math.round(usd * unitsPerUsd);
}

/** Integer units back to USD. */
export function fromUnits(units: number): number {
  return units / unitsPerUsd;
}
