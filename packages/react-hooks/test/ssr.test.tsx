// @vitest-environment node
import type { Generation, GenmetaClient } from '@genmeta/core';
import { Window } from 'happy-dom';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { GenmetaProvider } from '../src/index.js';
import { harnessForSuite, Probe, sleep } from './harness.js';

const harness = harnessForSuite();

function App({ client, id }: { client?: GenmetaClient; id: string }): ReactNode {
  const probe = <Probe id={id} />;
  return client ? <GenmetaProvider client={client}>{probe}</GenmetaProvider> : probe;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('server rendering', () => {
  it('renders without window, with or without a provider, and makes no request', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    const { id } = harness.fake.addGeneration();
    expect(renderToString(<App id={id} />)).toBe(`<output data-id="${id}">pending</output>`);
    expect(renderToString(<App id={id} client={harness.client()} />)).toBe(
      `<output data-id="${id}">pending</output>`,
    );
    expect(renderToString(<Probe id={null} />)).toBe('<output data-id="">idle</output>');
    expect(harness.gets()).toHaveLength(0);
  });

  it('renders initialData on the server', () => {
    const generation = harness.fake.addGeneration({ model: 'openai/gpt-4o' }) as Generation;
    const html = renderToString(<Probe id={generation.id} options={{ initialData: generation }} />);
    expect(html).toBe(
      `<output data-id="${generation.id}">success ${generation.id} openai/gpt-4o</output>`,
    );
  });

  it('hydrates the server markup without a mismatch, even when the page already found the id', async () => {
    const warmed = harness.fake.addGeneration({ model: 'model/warmed' });
    const fresh = harness.fake.addGeneration({ model: 'model/fresh' });
    const client = harness.client();
    const markup = (id: string) => renderToString(<App id={id} client={client} />);
    const serverHtml = `<div id="warmed">${markup(warmed.id)}</div><div id="fresh">${markup(fresh.id)}</div>`;

    const browser = new Window({ url: 'http://localhost:3000/' });
    const globals = globalThis as Record<string, unknown>;
    const names = ['window', 'document', 'navigator', 'HTMLElement', 'HTMLIFrameElement', 'Node'];
    const saved = new Map(names.map((name) => [name, globals[name]]));
    for (const name of names) {
      Object.defineProperty(globalThis, name, {
        value: name === 'window' ? browser : (browser as unknown as Record<string, unknown>)[name],
        configurable: true,
        writable: true,
      });
    }
    const consoleError = vi.spyOn(console, 'error');
    const recoverable: unknown[] = [];
    try {
      const { createRoot, hydrateRoot } = await import('react-dom/client');
      // The page already knows `warmed` (another component found it) before hydration.
      const other = browser.document.createElement('div');
      const otherRoot = createRoot(other as unknown as Element);
      otherRoot.render(<App id={warmed.id} client={client} />);
      await until(() => other.textContent.includes('success'));

      browser.document.body.innerHTML = serverHtml;
      const container = browser.document.body as unknown as Element;
      expect(container.textContent).toBe('pendingpending');
      const root = hydrateRoot(
        container,
        <>
          <div id="warmed">
            <App id={warmed.id} client={client} />
          </div>
          <div id="fresh">
            <App id={fresh.id} client={client} />
          </div>
        </>,
        { onRecoverableError: (error) => recoverable.push(error) },
      );
      await until(() => (container.textContent ?? '').split('success').length === 3);
      expect(container.textContent).toBe(
        `success ${warmed.id} model/warmedsuccess ${fresh.id} model/fresh`,
      );
      root.unmount();
      otherRoot.unmount();
      // Let React's scheduler finish with the emulated DOM before it goes away.
      await sleep(50);
    } finally {
      for (const [name, value] of saved) {
        Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
      }
      await browser.happyDOM.close();
    }
    expect(recoverable).toEqual([]);
    const messages = consoleError.mock.calls.map((call) => call.map(String).join(' '));
    expect(messages.filter((message) => /hydrat|did not match|mismatch/i.test(message))).toEqual(
      [],
    );
    consoleError.mockRestore();
    expect(harness.gets(warmed.id)).toHaveLength(1);
    expect(harness.gets(fresh.id)).toHaveLength(1);
  });
});
