import { describe, expect, it } from 'vitest';
import { picoUsdToUsd, sumUnitsToUsd, usdToPicoUsd, usdToSumUnits } from './money.js';

describe('integer USD units', () => {
  it('sums exactly, whatever the order', () => {
    const amounts = [0.1, 0.2, 0.3, 1e-7, 123.456789012345, 0.000_001_5];
    const forward = amounts.reduce((sum, usd) => sum + usdToPicoUsd(usd), 0n);
    const backward = [...amounts].reverse().reduce((sum, usd) => sum + usdToPicoUsd(usd), 0n);
    expect(forward).toBe(backward);
    expect(forward).toBe(124_056_789_112_345n + 1_500_000n);
    expect(picoUsdToUsd(usdToPicoUsd(0.1) + usdToPicoUsd(0.2))).toBe(0.3);
  });

  it('keeps the sign and refuses what is not an amount', () => {
    expect(usdToPicoUsd(-0.000_000_000_001)).toBe(-1n);
    expect(picoUsdToUsd(-1_500_000n)).toBe(-0.0000015);
    expect(() => usdToPicoUsd(Number.NaN)).toThrow(RangeError);
  });

  it('sums in number units of 1e-10 USD exactly, whatever the order', () => {
    const amounts = [0.1, 0.2, 0.3, 1e-7, 123.456789012345];
    const forward = amounts.reduce((sum, usd) => sum + usdToSumUnits(usd), 0);
    const backward = [...amounts].reverse().reduce((sum, usd) => sum + usdToSumUnits(usd), 0);
    expect(forward).toBe(backward);
    expect(Number.isInteger(forward)).toBe(true);
    expect(sumUnitsToUsd(usdToSumUnits(0.1) + usdToSumUnits(0.2))).toBe(0.3);
    expect(0.1 + 0.2).not.toBe(0.3);
  });
});
