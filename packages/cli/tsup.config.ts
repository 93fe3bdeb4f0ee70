import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // report-worker: the worker thread a large report file is split across (src/commands/report/parallel.ts).
    entry: {
      index: 'src/index.ts',
      bin: 'src/bin.ts',
      'report-worker': 'src/commands/report/worker.ts',
    },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts', bin: 'src/bin.ts' } },
    clean: true,
    target: 'es2022',
    platform: 'node',
    // The client (zod, ky) stays a dependency, reached only through the commands' dynamic
    // import, so `--help` and `--version` never load it.
    external: ['@genmeta/core'],
  },
  {
    // The package's bin: a CommonJS launcher that answers --help and --version itself and hands
    // every command to dist/bin.js (see src/launcher.ts).
    entry: { launcher: 'src/launcher.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    target: 'es2022',
    platform: 'node',
    // The few rules the launcher needs from core's engine (the default base URL, its check) are
    // bundled in, tree-shaken, so answering --help or --version loads no package at all.
    noExternal: ['@genmeta/core'],
  },
]);
