import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const stubs = process.argv.slice(2);
const plugin = {
  name: 'stub',
  setup(b) {
    b.onLoad({ filter: /src\/.*\.ts$/ }, async (args) => {
      const fs = await import('node:fs');
      let text = fs.readFileSync(args.path, 'utf8');
      for (const s of stubs) {
        const [file, from, to] = s.split('|');
        if (args.path.endsWith(file)) text = text.replace(new RegExp(from, 's'), to);
      }
      return { contents: text, loader: 'ts' };
    });
  },
};
const r = await build({
  stdin: {
    contents: "import { createClient } from './src/index.ts'; createClient().getGeneration('x');",
    resolveDir: '/tmp/oldcore/packages/core',
    loader: 'ts',
  },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
  plugins: [plugin],
});
console.log(gzipSync(r.outputFiles[0].contents, { level: 9 }).length);
