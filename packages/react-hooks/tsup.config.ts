import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // esbuild drops module directives when bundling; every export here is for client components.
  banner: { js: "'use client';" },
});
