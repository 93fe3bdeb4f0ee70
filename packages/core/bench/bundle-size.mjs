// Gzipped browser-bundle size of an entry, bundled the way an app bundler would (esbuild, minified).
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Entry using core's client, resolved against the built dist. */
export const coreEntry =
  "import { createClient } from './dist/index.js'; createClient().getGeneration('x');";

/** Entry using the official SDK's standalone (tree-shakable) generation lookup. */
export const sdkEntry = `import { OpenRouterCore } from '@openrouter/sdk/core.js';
import { generationsGetGeneration } from '@openrouter/sdk/funcs/generationsGetGeneration.js';
generationsGetGeneration(new OpenRouterCore({ apiKey: 'k' }), { id: 'x' });`;

/** `{ minified, gzipped }` byte counts of `entry` bundled for the browser. */
export async function bundleSize(entry) {
  const result = await build({
    stdin: { contents: entry, resolveDir: packageRoot, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}
