import { describe, expect, it } from 'vitest';
import { bundleSize, coreEntry } from '../bench/bundle-size.mjs';

/**
 * Gzipped size of `createClient().getGeneration()` bundled for a browser from dist/ (15.2 kB
 * today). The goal is 10 kB; ky (~5.0 kB) and zod/mini (~5.4 kB) alone add up to about that, so
 * the budget guards against growth from where the package stands.
 */
const budgetBytes = 15_500;

describe('browser bundle', () => {
  it(`stays within ${budgetBytes / 1000} kB gzipped and pulls in no zod classic`, async () => {
    const size = await bundleSize(coreEntry);
    expect(size.gzipped).toBeLessThanOrEqual(budgetBytes);
    // zod classic alone is ~80 kB minified; the whole bundle must stay far below that.
    expect(size.minified).toBeLessThan(60_000);
  });
});
