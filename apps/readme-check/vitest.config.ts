import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      // One TypeScript program for every block takes a few seconds on a loaded machine.
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  }),
);
