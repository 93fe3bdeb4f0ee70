import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const r = await build({
  stdin: {
    contents: "import { createClient } from './src/index.ts'; createClient().getGeneration('x');",
    resolveDir: '/work/wt/engine-core/packages/core',
    loader: 'ts',
  },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'silent',
});
const out = Object.values(r.metafile.outputs)[0];
for (const [k, v] of Object.entries(out.inputs))
  console.log(v.bytesInOutput, k.replace(/.*node_modules\//, ''));
console.log('total gz', gzipSync(r.outputFiles[0].contents, { level: 9 }).length);
