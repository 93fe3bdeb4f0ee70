import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { closeServer, listen } from './helpers.js';

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** A real fetch-style host (Request in, Response out) on 127.0.0.1:0. */
export async function serveFetch(
  handler: (request: Request) => Response | Promise<Response>,
): Promise<Served> {
  const server = createAdaptorServer({
    fetch: handler,
    overrideGlobalObjects: false,
  }) as Server;
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface GatewayOptions {
  /** the upstream's key, put on every forwarded request (the caller's own is dropped) */
  apiKey: string;
  /** drop X-Generation-Id from answers */
  stripGenerationHeader?: boolean;
}

/**
 * A gateway in front of OpenRouter (the fake) on another URL: forwards method, path under
 * `/v1` and body with its own key, and relays the answer (streams included).
 */
export async function startGateway(upstream: string, options: GatewayOptions): Promise<Served> {
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const path = (request.url ?? '/').replace(/^\/v1/, '');
    const answer = await fetch(`${upstream}${path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        'content-type': request.headers['content-type'] ?? 'application/json',
      },
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : body,
    });
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name === 'content-length' || name === 'content-encoding') return;
      if (name === 'x-generation-id' && options.stripGenerationHeader) return;
      headers[name] = value;
    });
    response.writeHead(answer.status, headers);
    const reader = answer.body?.getReader();
    for (;;) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) break;
      response.write(chunk.value);
    }
    response.end();
  });
  const url = await listen(server);
  return { url: `${url}/v1`, close: () => closeServer(server) };
}
