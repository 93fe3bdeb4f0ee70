import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { createClient, TimeoutError } from '../src/index.js';
import { clientOf, rejectionOf, settlesBeforeNextTurn, until } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('abort', () => {
  it('rejects at once with the reason of an already aborted signal, without a request', async () => {
    const reason = new Error('gone');
    const error = await rejectionOf(
      clientOf(fake).getGeneration('gen-1', { signal: AbortSignal.abort(reason) }),
    );
    expect(error).toBe(reason);
    expect(fake.calls).toHaveLength(0);
  });

  it('rejects at once (well within 50 ms) when aborted during a backoff sleep', async () => {
    const controller = new AbortController();
    const client = clientOf(fake, { retryDelayMs: 10_000 });
    let waited = false;
    const pending = rejectionOf(
      client.getGeneration('gen-missing', {
        signal: controller.signal,
        deadlineMs: 60_000,
        onWaiting: () => {
          waited = true;
        },
      }),
    );
    await until(() => waited);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const reason = new Error('user left');
    controller.abort(reason);
    expect(await settlesBeforeNextTurn(pending)).toBe(true);
    expect(await pending).toBe(reason);
  });

  it('rejects at once (well within 50 ms) when aborted during a request, and aborts that request', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'slow', delayMs: 5_000 }]);
    const signals: AbortSignal[] = [];
    const client = clientOf(fake, {
      fetch: (input, init) => {
        if (input instanceof Request) signals.push(input.signal);
        return fetch(input, init);
      },
    });
    const controller = new AbortController();
    const pending = rejectionOf(client.getGeneration(created.id, { signal: controller.signal }));
    await until(() => fake.generationCalls().length === 1);
    controller.abort();
    expect(await settlesBeforeNextTurn(pending)).toBe(true);
    const error = await pending;
    expect(error).toBe(controller.signal.reason);
    expect((error as DOMException).name).toBe('AbortError');
    await until(() => signals[0]?.aborted === true);
  });
});

describe('with the global fetch', () => {
  // The default fetch gets the abort signal in its init rather than on ky's Request: prove on a
  // real socket that an abort and an attempt timeout both close the connection.
  async function silentServer(): Promise<{
    url: string;
    closed: () => number;
    close: () => Promise<void>;
  }> {
    let closed = 0;
    const sockets = new Set<Socket>();
    const server = createServer((request) => {
      request.on('close', () => {
        closed++;
      });
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/api/v1`,
      closed: () => closed,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        server.close();
        await once(server, 'close');
      },
    };
  }

  it('closes the connection when the last caller aborts', async () => {
    const server = await silentServer();
    try {
      const client = createClient({ apiKey: 'sk-or-v1-test', baseUrl: server.url });
      const controller = new AbortController();
      const pending = rejectionOf(client.getGeneration('gen-1', { signal: controller.signal }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.closed()).toBe(0);
      controller.abort(new Error('left'));
      expect(((await pending) as Error).message).toBe('left');
      await until(() => server.closed() === 1);
    } finally {
      await server.close();
    }
  });

  it('closes the connection of an attempt that times out', async () => {
    const server = await silentServer();
    try {
      const client = createClient({
        apiKey: 'sk-or-v1-test',
        baseUrl: server.url,
        timeoutMs: 100,
        maxRetries: 0,
      });
      const error = await rejectionOf(client.getGeneration('gen-1'));
      expect(error).toBeInstanceOf(TimeoutError);
      await until(() => server.closed() === 1);
    } finally {
      await server.close();
    }
  });
});
