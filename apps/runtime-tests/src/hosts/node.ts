import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import app from '../app.js';

// Node: node:http in front of the fetch-style app (what @hono/node-server does, in brief).
const server = createServer(async (incoming, outgoing) => {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD';
  const request = new Request(`http://127.0.0.1${incoming.url}`, {
    method: incoming.method,
    headers: incoming.headers as Record<string, string>,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
  const response = await app.fetch(request, {});
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  const reader = response.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
    outgoing.write(read.value);
  }
  outgoing.end();
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ port, version: process.versions.node }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
