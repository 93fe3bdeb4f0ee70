import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Folder of this app (apps/example). */
export const appDir = path.resolve(import.meta.dirname, '../..');
/** Root of the monorepo. */
export const repoDir = path.resolve(appDir, '../..');

/** The built server running as a child process, with its output split into lines. */
export interface ServerProcess {
  /** e.g. 'http://127.0.0.1:41234', read from the server's "listening on" line */
  url: string;
  /** every stdout line so far (the JSON cost records) */
  stdout: string[];
  /** every stderr line so far (human-readable messages) */
  stderr: string[];
  /** resolves with the first stdout line (past or future) that `match` accepts */
  waitForStdout(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** resolves with the first stderr line (past or future) that `match` accepts */
  waitForStderr(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone */
  stop(): Promise<void>;
}

/**
 * Spawns `node dist/server/main.js` with PORT=0 and waits for its URL. `env` entries set to
 * undefined are removed from the inherited environment (e.g. OPENROUTER_API_KEY for offline mode).
 */
export async function spawnServer(
  env: Record<string, string | undefined> = {},
  startTimeoutMs = 15_000,
): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    cwd: appDir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line);
    notify();
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    notify();
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      notify();
      resolve();
    });
  });

  function waitFor(
    lines: string[],
    name: string,
    match: (line: string) => boolean,
    timeoutMs: number,
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found !== undefined) finish(() => resolve(found));
        else if (exited) finish(() => reject(new Error(`server exited; ${name}:\n${tail()}`)));
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new Error(`no matching ${name} line in ${timeoutMs} ms:\n${tail()}`)),
          ),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  }
  const tail = () =>
    [
      ...stderr.slice(-20).map((line) => `stderr| ${line}`),
      ...stdout.slice(-5).map((line) => `stdout| ${line}`),
    ].join('\n');

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
  };

  try {
    const line = await waitFor(
      stderr,
      'stderr',
      (text) => text.includes(' listening on '),
      startTimeoutMs,
    );
    const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
    if (!url) throw new Error(`cannot read the URL from: ${line}`);
    return {
      url,
      stdout,
      stderr,
      waitForStdout: (match, timeoutMs = 15_000) => waitFor(stdout, 'stdout', match, timeoutMs),
      waitForStderr: (match, timeoutMs = 15_000) => waitFor(stderr, 'stderr', match, timeoutMs),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Reads `NAME=value` pairs from a shell line such as `A=1 B=2 pnpm exec genmeta get <id>`. */
export function envAssignments(line: string): Record<string, string> {
  const assignments: Record<string, string> = {};
  for (const match of line.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)=(\S+)/g)) {
    assignments[match[1]!] = match[2]!;
  }
  return assignments;
}
