import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      environment: 'node',
      // Each file spawns the built server; the browser test is heavy on two cores.
      fileParallelism: false,
      testTimeout: 60_000,
      hookTimeout: 30_000,
    },
  }),
);
