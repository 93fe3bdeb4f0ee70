import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts', 'src/vitest.ts'],
  format: ['esm'],
  dts: true,
  // Files are overwritten in place rather than deleted first: other packages' tests and
  // benchmarks import or spawn dist/ and must not see it vanish during a rebuild.
  clean: false,
  splitting: false,
  target: 'es2022',
  platform: 'node',
  removeNodeProtocol: false,
});
