import { describe, expect, it } from 'vitest';
import { bundleSize, coreEntry } from '../bench/bundle-size.mjs';

/**
 * Gzipped size of `createClient().getGeneration()` bundled for a browser from dist/ (18.2 kB
 * today: 16.0 kB before key, body, shape and cache checks were added, 15.2 kB before the
 * client was split into modules by role). The goal is 12 kB; ky (~5.0 kB) and zod/mini
 * (~5.4 kB) alone add up to about 10 kB, so the budget guards against growth from where the
 * package stands.
 */
const budgetBytes = 18_500;

describe('browser bundle', () => {
  it(`stays within ${budgetBytes / 1000} kB gzipped and pulls in no zod classic`, async () => {
    const size = await bundleSize(coreEntry);
    expect(size.gzipped).toBeLessThanOrEqual(budgetBytes);
    // zod classic alone is ~80 kB minified; the whole bundle must stay far below that.
    expect(size.minified).toBeLessThan(60_000);
  });

  it('carries nothing of @genmeta/core/engine beyond what the client itself needs', async () => {
    const withEngine = await bundleSize(
      "import { createClient } from './dist/index.js'; import './dist/engine.js'; createClient().getGeneration('x');",
    );
    const alone = await bundleSize(coreEntry);
    // Importing the engine for nothing adds nothing: its parts are only in its own entry.
    expect(withEngine.minified).toBe(alone.minified);
    const used = await bundleSize(
      "import { createClient } from './dist/index.js'; import { createSseParser } from './dist/engine.js'; createClient().getGeneration('x'); createSseParser(() => {});",
    );
    expect(used.minified).toBeGreaterThan(alone.minified);
  });
});
