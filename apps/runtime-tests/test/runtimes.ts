import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

/** A runtime serving the app: where to send requests, and how to stop it. */
export interface RunningApp {
  fetch(path: string, init?: RequestInit): Promise<Response>;
  readonly version: string;
  close(): Promise<void>;
}

export interface RuntimeTarget {
  /** The row of the README table. */
  readonly name: string;
  /** The environment cannot be read there: a client without `apiKey` must say so. */
  readonly envUnreadable: boolean;
  /** No AsyncLocalStorage: handlers name their request (`createTrackingFetch({ request })`). */
  readonly explicitRequest: boolean;
  /** How the app is hosted there, for the README's table. */
  readonly how: string;
  start(fake: { url: string; apiKey: string }): Promise<RunningApp>;
}

const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const require = createRequire(import.meta.url);
const outDir = join(root, 'test-results', 'bundles');

/** The app bundled for one host, the fake's address written in (a Worker reads no env). */
async function bundle(
  host: string,
  fake: { url: string; apiKey: string },
  format: 'esm' | 'iife',
  platform: 'neutral' | 'node' = 'neutral',
): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${host}.js`);
  await build({
    entryPoints: [join(root, 'src', 'hosts', `${host}.ts`)],
    outfile,
    bundle: true,
    format,
    platform,
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: host === 'workerd' ? ['workerd', 'worker', 'import'] : ['import'],
    define: { __FAKE_URL__: JSON.stringify(fake.url), __FAKE_KEY__: JSON.stringify(fake.apiKey) },
    logLevel: 'silent',
  });
  return outfile;
}

/** The environment of a child runtime: the machine's, without any OPENROUTER_ variable. */
function childEnvironment(): NodeJS.ProcessEnv {
  const environment = { ...process.env };
  for (const name of Object.keys(environment)) {
    if (name.startsWith('OPENROUTER_')) delete environment[name];
  }
  return environment;
}

/** Spawns a host that prints `{"port", "version"}` once it listens. */
async function spawnHost(command: string, args: string[]): Promise<RunningApp> {
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    env: childEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout! });
  const started = await new Promise<{ port: number; version: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} did not start: ${stderr}`)),
      60_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}: ${stderr}`));
    });
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { port?: number; version?: string };
        if (typeof parsed.port === 'number') {
          clearTimeout(timer);
          resolve(parsed as { port: number; version: string });
        }
      } catch {
        // a cost record line or other output
      }
    });
  });
  const origin = `http://127.0.0.1:${started.port}`;
  return {
    version: started.version,
    fetch: (path, init) => fetch(`${origin}${path}`, init),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function workerd(nodejsCompat: boolean): RuntimeTarget {
  return {
    name: nodejsCompat ? 'workerd (nodejs_compat)' : 'workerd (no flags)',
    // nodejs_compat brings a process.env (of the Worker's bindings)
    envUnreadable: !nodejsCompat,
    explicitRequest: !nodejsCompat,
    how: `Miniflare, module at global scope, \`ctx.waitUntil\`${nodejsCompat ? '' : ', `createTrackingFetch({ request })`'}`,
    async start(fake) {
      const scriptPath = await bundle('workerd', fake, 'esm');
      const miniflare = new Miniflare({
        modules: true,
        scriptPath,
        compatibilityDate: '2026-07-01',
        compatibilityFlags: nodejsCompat ? ['nodejs_compat'] : [],
      });
      const url = await miniflare.ready;
      const workerdVersion = require(
        require.resolve('workerd/package.json', { paths: [require.resolve('miniflare')] }),
      ).version as string;
      return {
        version: workerdVersion,
        fetch: async (path, init) =>
          (await miniflare.dispatchFetch(new URL(path, url), init as never)) as unknown as Response,
        close: () => miniflare.dispose(),
      };
    },
  };
}

const deno: RuntimeTarget = {
  name: 'Deno (no --allow-env)',
  envUnreadable: true,
  explicitRequest: false,
  how: '`Deno.serve`',
  async start(fake) {
    const script = await bundle('deno', fake, 'esm');
    return spawnHost(bin('deno'), [
      'run',
      '--no-config',
      '--no-prompt',
      '--allow-net=127.0.0.1',
      script,
    ]);
  },
};

const bun: RuntimeTarget = {
  name: 'Bun',
  envUnreadable: false,
  explicitRequest: false,
  how: '`Bun.serve`',
  async start(fake) {
    const script = await bundle('bun', fake, 'esm');
    return spawnHost(bin('bun'), ['run', script]);
  },
};

const edgeRuntime: RuntimeTarget = {
  name: 'Vercel edge-runtime',
  envUnreadable: true,
  explicitRequest: false,
  how: 'as Next.js runs it: global `AsyncLocalStorage`, 5 Node modules, `event.waitUntil`',
  async start(fake) {
    const script = await bundle('edge', fake, 'iife');
    return spawnHost(process.execPath, [join(root, 'src', 'hosts', 'edge-host.mjs'), script]);
  },
};

const node: RuntimeTarget = {
  name: 'Node',
  envUnreadable: false,
  explicitRequest: false,
  how: '`node:http`',
  async start(fake) {
    const script = await bundle('node', fake, 'esm', 'node');
    return spawnHost(process.execPath, [script]);
  },
};

export const targets: readonly RuntimeTarget[] = [
  node,
  workerd(true),
  workerd(false),
  deno,
  bun,
  edgeRuntime,
];

/** The version a binary reports, for a runtime that could not start. */
export function versionOf(command: string): string {
  try {
    return execFileSync(bin(command), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
