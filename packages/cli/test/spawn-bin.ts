import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import packageJson from '../package.json';

/** The built bin, as npm links it for users: package.json's `bin.genmeta`. */
export const binPath = fileURLToPath(new URL(`../${packageJson.bin.genmeta}`, import.meta.url));

export interface SpawnResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** leave stdin open (like a terminal nobody types into) */
  keepStdinOpen?: boolean;
  nodeArguments?: string[];
  /** called once the process is running, e.g. to send it a signal */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

/** Runs `node <bin> ...args` and collects its output (never blocks the event loop). */
export function spawnBin(args: string[], options: SpawnOptions = {}): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const environment: Record<string, string | undefined> = { ...process.env };
    for (const name of ['OPENROUTER_API_KEY', 'OPENROUTER_BASE_URL', 'NO_COLOR', 'FORCE_COLOR']) {
      delete environment[name];
    }
    const child = spawn(process.execPath, [...(options.nodeArguments ?? []), binPath, ...args], {
      env: { ...environment, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on('error', () => {});
    if (options.keepStdinOpen) child.stdin.write(options.stdin ?? '');
    else child.stdin.end(options.stdin ?? '');
    options.onSpawn?.(child);
  });
}

/**
 * An `onSpawn` that sends `signal` to the child once `ready()` holds, checked every 20 ms
 * (for example: once the bin's signal handler is known to be in place).
 */
export function signalOnceReady(
  ready: () => boolean | Promise<boolean>,
  signal: NodeJS.Signals = 'SIGINT',
): (child: ReturnType<typeof spawn>) => void {
  return (child) => {
    let sent = false;
    const timer = setInterval(async () => {
      if (sent || !(await ready()) || sent) return;
      sent = true;
      clearInterval(timer);
      child.kill(signal);
    }, 20);
    child.on('close', () => clearInterval(timer));
  };
}
