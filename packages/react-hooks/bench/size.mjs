// Prints what `useGeneration` + `GenmetaProvider` add to a browser bundle: the built package
// with @genmeta/core and its dependencies, minified (esbuild) and compressed, React external.
// Also splits out this package's own share. Run after `pnpm build` (turbo does that for bench).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const targetBytes = 12 * 1000; // the goal with core; size-limit holds the current budgets
if (!existsSync(join(packageDirectory, 'dist/index.js'))) {
  console.error('dist/index.js is missing: run `pnpm build` first');
  process.exit(1);
}

async function measure(external) {
  const result = await build({
    stdin: {
      contents: 'export { useGeneration, GenmetaProvider } from "./dist/index.js";',
      resolveDir: packageDirectory,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  return {
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code).length,
  };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
const total = await measure(['react', 'react-dom']);
const own = await measure(['react', 'react-dom', '@genmeta/core']);

console.log('useGeneration + GenmetaProvider, react external');
console.log(
  `  with @genmeta/core: ${kB(total.minified)} minified, ${kB(total.gzip)} gzip, ${kB(total.brotli)} brotli`,
);
console.log(
  `  this package alone: ${kB(own.minified)} minified, ${kB(own.gzip)} gzip, ${kB(own.brotli)} brotli (${((own.gzip / total.gzip) * 100).toFixed(0)}% of the gzip total)`,
);
console.log(
  `  target <= ${kB(targetBytes)} gzip with core: ${total.gzip <= targetBytes ? 'met' : 'MISSED'} (${((total.gzip / targetBytes) * 100).toFixed(0)}% of target; @genmeta/core is ${kB(total.gzip - own.gzip)} of it)`,
);
