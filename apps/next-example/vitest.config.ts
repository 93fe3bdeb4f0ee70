import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// `next build` takes minutes on a busy machine: the e2e suite gets room for it.
export default mergeConfig(
  sharedTestConfig,
  defineConfig({ test: { hookTimeout: 600_000, testTimeout: 60_000 } }),
);
