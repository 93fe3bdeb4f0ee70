import { defineConfig } from 'vitest/config';

/**
 * Test settings every package shares: a JSON report per package (summed by
 * scripts/test.mjs for CI's closing line) next to the usual console output.
 */
export const sharedTestConfig = defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
  },
});
