import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      // one runtime at a time: each is a process of its own on a small machine
      fileParallelism: false,
      testTimeout: 60_000,
      hookTimeout: 90_000,
    },
  }),
);
