import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      // npm installs through the local registry: slow on two cores, never a timing assertion.
      testTimeout: 240_000,
      hookTimeout: 240_000,
      // Installs run a few at a time: more only queue up on two cores.
      maxConcurrency: 4,
    },
  }),
);
