// A load balancer in front of two instances, as a real node:http reverse proxy: the browser
// sees one origin; `route` picks the instance of each request, and every request is logged.
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Routed {
  target: string;
  method: string;
  url: string;
  status: number;
}

export interface LoadBalancer {
  url: string;
  routed: Routed[];
  close(): Promise<void>;
}

export async function startLoadBalancer(
  route: (method: string, url: string) => string,
): Promise<LoadBalancer> {
  const routed: Routed[] = [];
  const server = createServer((incoming, outgoing) => {
    const method = incoming.method ?? 'GET';
    const url = incoming.url ?? '/';
    const target = new URL(route(method, url));
    const upstream = forward(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        routed.push({ target: target.origin, method, url, status: answer.statusCode ?? 0 });
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    outgoing.on('close', () => upstream.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
