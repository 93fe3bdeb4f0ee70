import { defineConfig } from 'tsup';

export default defineConfig({
  // client.ts holds the hooks and the provider behind 'use client' (esbuild keeps an entry
  // point's directive); index.ts re-exports it next to what React Server Components may call.
  entry: ['src/index.ts', 'src/client.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // No shared chunks: they would carry the client code without the directive.
  splitting: false,
  esbuildPlugins: [
    {
      name: 'client-module-stays-separate',
      setup(build) {
        build.onResolve({ filter: /^\.\/client\.js$/ }, (args) =>
          args.importer.endsWith('index.ts') ? { path: './client.js', external: true } : undefined,
        );
      },
    },
  ],
});
