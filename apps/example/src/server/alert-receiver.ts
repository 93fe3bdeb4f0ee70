import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a team's Slack would be: a webhook that keeps the alerts it is sent and shows them. */
export interface AlertReceiver {
  /** The page that shows alerts as they arrive, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Where costAlerts posts (`POST`, JSON alert body, HMAC-signed). */
  webhookUrl: string;
  /** Alerts received, oldest first. */
  readonly alerts: readonly Record<string, unknown>[];
  close(): Promise<void>;
}

const MAX_ALERTS = 100;
const MAX_BODY_BYTES = 64 * 1024;

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>genmeta spend alerts</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui,sans-serif;max-width:760px;margin:2em auto;padding:0 1em;color:#1d2330}
li{list-style:none;border:1px solid #e3e6ec;border-radius:8px;padding:10px 14px;margin:10px 0}
.kind{font-weight:600;text-transform:uppercase;font-size:12px;color:#b4232c}.muted{color:#6b7280;font-size:13px}</style></head>
<body><h1>Spend alerts</h1>
<p class="muted">The example's webhook receiver: costAlerts posts here when Linus's demo budget passes 50%, 80% and 100%. Chat as Linus to see them arrive.</p>
<ul id="alerts"><li class="muted" id="none">No alert yet.</li></ul>
<script>
const list = document.getElementById('alerts');
const show = (alert) => {
  document.getElementById('none')?.remove();
  const item = document.createElement('li');
  const kind = document.createElement('div'); kind.className = 'kind'; kind.textContent = alert.kind + ' · ' + alert.at;
  const text = document.createElement('div'); text.textContent = alert.text;
  item.append(kind, text); list.prepend(item);
};
new EventSource('events').addEventListener('alert', (event) => show(JSON.parse(event.data)));
</script></body></html>`;

function signatureMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Starts the receiver on its own port (as a chat tool would be: another server). Alerts whose
 * `x-genmeta-signature` does not match `secret` are refused with 401.
 */
export async function startAlertReceiver(options: {
  host: string;
  secret: string;
}): Promise<AlertReceiver> {
  const alerts: Record<string, unknown>[] = [];
  const listeners = new Set<ServerResponse>();

  function receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (size > MAX_BODY_BYTES) return void response.writeHead(413).end();
      const signature = request.headers['x-genmeta-signature'];
      if (
        !signatureMatches(
          options.secret,
          body,
          typeof signature === 'string' ? signature : undefined,
        )
      ) {
        return void response.writeHead(401).end();
      }
      let alert: Record<string, unknown>;
      try {
        alert = JSON.parse(body.toString('utf8'));
      } catch {
        return void response.writeHead(400).end();
      }
      alerts.push(alert);
      if (alerts.length > MAX_ALERTS) alerts.shift();
      for (const listener of listeners)
        listener.write(`event: alert\ndata: ${JSON.stringify(alert)}\n\n`);
      response.writeHead(204).end();
    });
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://receiver').pathname;
    if (request.method === 'POST' && path === '/webhook') return receive(request, response);
    if (request.method === 'GET' && path === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      for (const alert of alerts)
        response.write(`event: alert\ndata: ${JSON.stringify(alert)}\n\n`);
      listeners.add(response);
      request.on('close', () => listeners.delete(response));
      return;
    }
    if (request.method === 'GET' && path === '/alerts.json') {
      return void response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(alerts));
    }
    if (request.method === 'GET' && path === '/') {
      return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  return {
    url: `${origin}/`,
    webhookUrl: `${origin}/webhook`,
    alerts,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
