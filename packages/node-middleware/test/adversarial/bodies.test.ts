// Issue 19 items 4 and 5: bodies past the scan limit, cancelled bodies, streams nobody reads.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { CostLoggerOptions } from '../../src/index.js';
import { waitUntil } from '../helpers.js';
import {
  chatAt,
  type LoggedApp,
  MB,
  memoryNow,
  newId,
  type PeerServer,
  pour,
  startLoggedApp,
  startPeer,
} from './hostile.js';

let peer: PeerServer | undefined;
let other: PeerServer | undefined;
let app: LoggedApp | undefined;
afterEach(async () => {
  await app?.close();
  await peer?.close();
  await other?.close();
  app = undefined;
  peer = undefined;
  other = undefined;
});

/** An OpenRouter (the app's base URL) whose chat answers `chat` writes; lookups fail at once. */
async function startUpstream(chat: (response: ServerResponse) => void): Promise<PeerServer> {
  return startPeer((request: IncomingMessage, response) => {
    if (request.url?.startsWith('/api/v1/generation')) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"error":{"code":401,"message":"no"}}');
      return;
    }
    chat(response);
  });
}

const HUGE = 150 * MB;
const pad = Buffer.alloc(64 * 1024, 'x');

/** A JSON completion whose `id` comes first, with a string field of about `total` bytes. */
function hugeJson(response: ServerResponse, total: number): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write(`{"id":"${newId()}","choices":[],"usage":{"cost":0.01},"pad":"`);
  pour(response, pad, total, '"}');
}

/** 150 MB of JSON gzipped (about 150 kB), made without holding 150 MB. */
async function gzippedHugeJson(): Promise<Buffer> {
  const gzip = createGzip();
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write(`{"id":"${newId()}","pad":"`);
  const mega = Buffer.alloc(MB, 'x');
  for (let index = 0; index < HUGE / MB; index += 1) {
    if (!gzip.write(mega)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end('"}');
  await ended;
  return Buffer.concat(parts);
}

function start(
  upstream: PeerServer,
  handler: Parameters<typeof startLoggedApp>[1],
  options: CostLoggerOptions = {},
) {
  return startLoggedApp(`${upstream.url}/api/v1`, handler, options);
}

describe('bodies past the scan limit (item 4)', () => {
  it('stops reading a cancelled 150 MB JSON answer (never 32 MB pulled)', async () => {
    peer = await startUpstream((response) => hugeJson(response, HUGE));
    const upstream = `${peer.url}/api/v1`;
    app = await start(peer, async (trackingFetch, response) => {
      const answer = await chatAt(trackingFetch, upstream);
      const reader = answer.body!.getReader();
      await reader.read();
      await reader.cancel();
      response.json({ cancelled: true });
    });
    const before = memoryNow();
    expect((await fetch(app.url, { method: 'POST' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await app.logger.flush();
    expect(peer.bytesSent).toBeLessThan(32 * MB);
    expect(memoryNow() - before).toBeLessThan(150 * MB);
  });

  it('counts the scan limit on decoded bytes: a gzipped 150 MB answer with a small Content-Length', async () => {
    const gzipped = await gzippedHugeJson();
    peer = await startUpstream((response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': gzipped.byteLength,
      });
      response.end(gzipped);
    });
    const upstream = `${peer.url}/api/v1`;
    app = await start(peer, async (trackingFetch, response) => {
      await chatAt(trackingFetch, upstream); // nobody reads the body: it is drained
      response.json({ ok: true });
    });
    const before = memoryNow();
    expect((await fetch(app.url, { method: 'POST' })).status).toBe(200);
    const [record] = await app.waitForRecords(1);
    expect(record!.unresolvedFetches).toEqual([
      { url: `${upstream}/chat/completions`, reason: 'scan_limit' },
    ]);
    expect(memoryNow() - before).toBeLessThan(150 * MB);
  });

  it('does not parse untracked third-party JSON in full', async () => {
    peer = await startUpstream((response) => response.end('{}'));
    other = await startPeer((_request, response) => hugeJson(response, HUGE));
    const page = other.url;
    let read = 0;
    app = await start(peer, async (trackingFetch, response) => {
      const answer = await trackingFetch(`${page}/export.json`);
      const reader = answer.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        read += value.byteLength;
      }
      response.json({ read });
    });
    const before = memoryNow();
    expect((await fetch(app.url, { method: 'POST' })).status).toBe(200);
    expect(read).toBeGreaterThan(HUGE);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(memoryNow() - before).toBeLessThan(150 * MB);
  });
});

describe('a stream nobody reads (item 5)', () => {
  it('is drained up to a byte cap, never past inflightWaitMs, and the record says why', async () => {
    // an endless SSE stream without an id
    peer = await startUpstream((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      pour(response, `: ${'x'.repeat(16 * 1024)}\n\n`);
    });
    const upstream = `${peer.url}/api/v1`;
    app = await start(
      peer,
      async (trackingFetch, response) => {
        await chatAt(trackingFetch, upstream, true);
        response.json({ ok: true });
      },
      { inflightWaitMs: 2_000 },
    );
    const before = memoryNow();
    expect((await fetch(app.url, { method: 'POST' })).status).toBe(200);
    const [record] = await app.waitForRecords(1);
    expect(record!.unresolvedFetches).toHaveLength(1);
    expect(['drain_limit', 'in_flight']).toContain(record!.unresolvedFetches![0]!.reason);
    const atRecord = peer.bytesSent;
    // past inflightWaitMs, the peer may fill socket buffers at most
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(peer.bytesSent - atRecord).toBeLessThan(16 * MB);
    expect(peer.bytesSent).toBeLessThan(8 * MB + 16 * MB);
    expect(memoryNow() - before).toBeLessThan(150 * MB);
  });

  it('stops at inflightWaitMs when the bytes come slowly, and the record says in_flight', async () => {
    peer = await startUpstream((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => response.write(': keep-alive\n\n'), 20);
      response.on('close', () => clearInterval(timer));
    });
    const upstream = `${peer.url}/api/v1`;
    app = await start(
      peer,
      async (trackingFetch, response) => {
        await chatAt(trackingFetch, upstream, true);
        response.json({ ok: true });
      },
      { inflightWaitMs: 300 },
    );
    expect((await fetch(app.url, { method: 'POST' })).status).toBe(200);
    const [record] = await app.waitForRecords(1);
    expect(record!.unresolvedFetches).toEqual([
      { url: `${upstream}/chat/completions`, reason: 'in_flight' },
    ]);
    await waitUntil(() => app!.logger.pending === 0);
  });
});
