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
  logLevel: 'silent',
});
const c = r.outputFiles[0].text;
const i = c.indexOf('invalid_id:');
console.log(c.slice(i));
