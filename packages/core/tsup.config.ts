import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', engine: 'src/engine/index.ts', api: 'src/api/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
});
