import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './run.ts';

/** The package whose bin is the OpenRouter every smoke script talks to. */
export const fakePackageName = '@genmeta/fake-openrouter';

export interface EnvironmentFake {
  /** `OPENROUTER_BASE_URL` and `OPENROUTER_API_KEY`, exactly as the fake's bin printed them. */
  env: { OPENROUTER_BASE_URL: string; OPENROUTER_API_KEY: string };
  stop: () => Promise<void>;
}

/**
 * Installs the published fake into its own app folder (with the README's command) and starts its
 * bin, as a user would in a second terminal; its two printed lines become the smoke scripts' env.
 */
export async function startEnvironmentFake(
  folder: string,
  installArgs: string[],
  npmEnv: NodeJS.ProcessEnv,
): Promise<EnvironmentFake> {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), '{ "name": "environment", "private": true }\n');
  await runOk('npm', installArgs, { cwd: folder, env: npmEnv });
  const child = spawn(
    join(folder, 'node_modules/.bin/genmeta-fake-openrouter'),
    ['--port', '0', '--stats-delay-ms', '300'],
    { cwd: folder, env: npmEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const env = await new Promise<EnvironmentFake['env']>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const baseUrl = /^OPENROUTER_BASE_URL=(\S+)$/m.exec(output)?.[1];
      const apiKey = /^OPENROUTER_API_KEY=(\S+)$/m.exec(output)?.[1];
      if (baseUrl && apiKey) resolve({ OPENROUTER_BASE_URL: baseUrl, OPENROUTER_API_KEY: apiKey });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fake's bin exited ${code}:\n${output}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { env, stop };
}
