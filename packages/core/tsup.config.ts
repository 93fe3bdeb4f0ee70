import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    rules: 'src/rules.ts',
    server: 'src/server.ts',
    store: 'src/store.ts',
    engine: 'src/engine/index.ts',
    api: 'src/api/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
});
