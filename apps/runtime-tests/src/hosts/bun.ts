import app from '../app.js';

declare const Bun: {
  serve(options: {
    hostname: string;
    port: number;
    fetch(request: Request): Response | Promise<Response>;
  }): { port: number };
  version: string;
};

// Bun: Bun.serve; no waitUntil, records finish in the background as on Node.
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: (request) => app.fetch(request, {}),
});
console.log(JSON.stringify({ port: server.port, version: Bun.version }));
