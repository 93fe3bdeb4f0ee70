import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rehearsalRoot } from './workspace.ts';

export interface LocalRegistry {
  /** e.g. `http://127.0.0.1:41234/`, with the trailing slash npm writes. */
  url: string;
  /** A temporary npmrc: this registry, a token for it, a temporary cache. */
  npmrc: string;
  /** The environment for npm, pnpm and changesets: the machine's, minus its npm settings, plus ours. */
  env: NodeJS.ProcessEnv;
  /** What Verdaccio printed, for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
}

/** The registry the machine's npm uses (for third-party packages), never its credentials. */
function upstreamRegistry(): string {
  const fromConfig = execFileSync('npm', ['config', 'get', 'registry'], {
    encoding: 'utf8',
    env: withoutNpmSettings(process.env),
  }).trim();
  return fromConfig.startsWith('http') ? fromConfig : 'https://registry.npmjs.org/';
}

/**
 * The environment minus every npm/pnpm setting inherited from the runner (pnpm passes its own
 * `npm_config_*` to scripts), so only the temporary npmrc decides. CA and proxy variables stay.
 */
function withoutNpmSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^(npm_|pnpm_|PNPM_)/i.test(key)) continue;
    clean[key] = value;
  }
  return clean;
}

function verdaccioConfig(root: string, upstream: string) {
  const open = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };
  return {
    storage: join(root, 'storage'),
    auth: { htpasswd: { file: join(root, 'htpasswd'), max_users: 10 } },
    uplinks: { upstream: { url: upstream, timeout: '60s', maxage: '30m' } },
    packages: {
      // Our own packages come only from what the rehearsal publishes, never from upstream.
      '@genmeta/*': open,
      '@*/*': { ...open, proxy: 'upstream' },
      '**': { ...open, proxy: 'upstream' },
    },
    web: { enable: false },
    log: { type: 'stdout', format: 'json', level: 'warn' },
    max_body_size: '50mb',
  };
}

/** Starts Verdaccio on a free loopback port with storage, config and npmrc under `root`. */
export async function startLocalRegistry(root: string): Promise<LocalRegistry> {
  mkdirSync(join(root, 'storage'), { recursive: true });
  const configFile = join(root, 'verdaccio.yaml');
  // JSON is YAML: no YAML writer needed.
  writeFileSync(configFile, JSON.stringify(verdaccioConfig(root, upstreamRegistry()), null, 2));

  const child = spawn(
    process.execPath,
    [join(rehearsalRoot, 'src/start-verdaccio.mjs'), configFile],
    {
      cwd: root,
      env: withoutNpmSettings(process.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`Verdaccio exited ${code} before listening:\n${output}`)),
    );
  });

  const token = await createUser(url);
  const host = url.replace(/^http:/, '');
  const npmrc = join(root, 'npmrc');
  writeFileSync(
    npmrc,
    [
      `registry=${url}`,
      `${host}:_authToken=${token}`,
      `cache=${join(root, 'npm-cache')}`,
      'audit=false',
      'fund=false',
      'update-notifier=false',
      'loglevel=warn',
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {
    ...withoutNpmSettings(process.env),
    NPM_CONFIG_USERCONFIG: npmrc,
    // changesets reads the registry from here, npm and pnpm from the npmrc too.
    npm_config_registry: url,
  };
  const stop = () => {
    process.off('exit', killOnExit);
    return stopChild(child);
  };
  return { url, npmrc, env, log: () => output, stop };
}

/** Registers a throwaway user (Verdaccio's htpasswd allows it) and returns its token. */
async function createUser(url: string): Promise<string> {
  const name = 'rehearsal';
  const response = await fetch(new URL(`-/user/org.couchdb.user:${name}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'rehearsal-password', type: 'user', roles: [] }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || !body.token) {
    throw new Error(
      `Verdaccio refused the rehearsal user: ${response.status} ${JSON.stringify(body)}`,
    );
  }
  return body.token;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
