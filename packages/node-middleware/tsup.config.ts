import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/hono.ts', 'src/fastify.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  removeNodeProtocol: false,
});
