import { defineConfig } from 'tsup';

export default defineConfig({
  // named entries: the adapters live in src/adapters/ and ship as dist/hono.js, dist/fastify.js
  entry: {
    index: 'src/index.ts',
    hono: 'src/adapters/hono.ts',
    fastify: 'src/adapters/fastify.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  removeNodeProtocol: false,
});
