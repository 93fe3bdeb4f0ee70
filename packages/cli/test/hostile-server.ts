import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server written for one test: it answers however the test wants. */
export interface HostileServer {
  /** base URL to give `--base-url`, e.g. `http://127.0.0.1:41234/api/v1` */
  url: string;
  /** every request received */
  requests: { url: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** Starts a server whose every request is answered by `handler`, under `path` (default /api/v1). */
export async function startHostileServer(
  handler: (request: IncomingMessage, response: ServerResponse, id: string) => void,
  path = '/api/v1',
): Promise<HostileServer> {
  const requests: HostileServer['requests'] = [];
  const server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', authorization: request.headers.authorization });
    const id = new URL(request.url ?? '/', 'http://localhost').searchParams.get('id') ?? '';
    handler(request, response, id);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers `status` with a JSON body, as OpenRouter does. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

/** Every 8-character window of `secret`: none may appear in output. */
export function secretWindows(secret: string, size = 8): string[] {
  const windows: string[] = [];
  for (let start = 0; start + size <= secret.length; start += 1) {
    windows.push(secret.slice(start, start + size));
  }
  return windows;
}
