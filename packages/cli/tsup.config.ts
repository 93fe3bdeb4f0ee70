import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  // The client (zod, ky) stays a dependency, reached only through the commands' dynamic import,
  // so `--help` and `--version` never load it.
  external: ['@genmeta/core'],
});
