import app from '../app.js';

declare const Deno: {
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
  version: { deno: string };
};

// Deno: its own HTTP server; no waitUntil, records finish in the background as on Node.
Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) => console.log(JSON.stringify({ port, version: Deno.version.deno })),
  },
  (request) => app.fetch(request, {}),
);
