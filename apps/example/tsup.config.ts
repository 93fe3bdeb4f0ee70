import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/server/main.ts', index: 'src/server/index.ts' },
  outDir: 'dist/server',
  format: ['esm'],
  platform: 'node',
  target: 'node22',
  clean: true,
  dts: false,
  sourcemap: true,
});
