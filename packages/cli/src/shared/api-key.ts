import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { apiKeyProblem, OPENROUTER_API_BASE_URL } from '@genmeta/core/rules';
import { printable } from './text/terminal-text.js';

/** No usable key: the message says which way to give one. Exit code 3. */
export class MissingKeyError extends Error {
  override readonly name = 'MissingKeyError';
}

const howToGiveKey =
  "Set OPENROUTER_API_KEY in the environment, or pass --api-key-file PATH (a file holding only the key). A --base-url that is not OpenRouter's (a genmeta proxy route) needs no key.";

export function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return typeof code === 'string' ? code : 'unreadable';
  }
}

/** The most `--api-key-file` may hold: a key is about 80 characters; a larger file is refused unread. */
export const maxKeyFileBytes = 4096;

/** Why a key file was refused before or while reading it (not a system error). */
class RefusedKeyFile extends Error {}

/**
 * Reads at most {@link maxKeyFileBytes} (+1, to tell a larger file) of a regular file. The open is
 * non-blocking, so a FIFO without a writer cannot hang it; devices (`/dev/zero`), FIFOs and
 * sockets are refused from their file type, before any read.
 */
async function readKeyFile(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new RefusedKeyFile('it is a directory');
    if (!info.isFile()) {
      throw new RefusedKeyFile(
        'it is not a regular file (a device, a FIFO or a socket cannot hold a key)',
      );
    }
    const tooLarge = new RefusedKeyFile(
      `it is larger than ${maxKeyFileBytes} bytes (the file must hold only the key)`,
    );
    if (info.size > maxKeyFileBytes) throw tooLarge;
    const buffer = Buffer.alloc(maxKeyFileBytes + 1);
    let length = 0;
    // A file that grows after stat() is still read no further than the bound.
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxKeyFileBytes) throw tooLarge;
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}

/** Rejects once `deadlineMs` has passed (a read stuck on a network file system must not hang). */
function withDeadline<T>(work: Promise<T>, deadlineMs: number | undefined): Promise<T> {
  if (deadlineMs === undefined || !Number.isFinite(deadlineMs)) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RefusedKeyFile(`it was not read within --deadline (${deadlineMs} ms)`)),
      deadlineMs,
    );
    timer.unref?.();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * `key` when it can be one (core's key rule: one word of printable ASCII); a
 * {@link MissingKeyError} naming `source` otherwise, never with the key in it.
 */
export function checkKey(key: string, source: string): string {
  if (key === '') throw new MissingKeyError(`${source} is empty`);
  const problem = apiKeyProblem(key);
  if (problem !== undefined) {
    throw new MissingKeyError(`${source} must hold only the key: ${problem}`);
  }
  return key;
}

/** True for OpenRouter's own API (which needs a key); a proxy route elsewhere may need none. */
export function isOpenRouterUrl(baseUrl: string | undefined): boolean {
  const openRouter = new URL(OPENROUTER_API_BASE_URL).hostname;
  const host = new URL(baseUrl ?? OPENROUTER_API_BASE_URL).hostname.toLowerCase();
  return host === openRouter || host.endsWith(`.${openRouter}`);
}

/**
 * The API key: the trimmed content of `--api-key-file` when given (relative to `cwd`), else
 * OPENROUTER_API_KEY; `undefined` when none is given and the base URL is not OpenRouter's.
 * The file must be a regular file of at most {@link maxKeyFileBytes}, read within `deadlineMs`.
 * Throws {@link MissingKeyError}, never with the key (or any part of it) in the message.
 */
export async function resolveApiKey(
  apiKeyFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  baseUrl: string | undefined,
  deadlineMs?: number,
): Promise<string | undefined> {
  if (apiKeyFile !== undefined) {
    // The path is echoed: terminal-safe, like every user value on stderr.
    const shownPath = printable(apiKeyFile, 200);
    let content: string;
    try {
      content = await withDeadline(readKeyFile(resolve(cwd, apiKeyFile)), deadlineMs);
    } catch (error) {
      const why = error instanceof RefusedKeyFile ? error.message : describeReadError(error);
      throw new MissingKeyError(`cannot read --api-key-file ${shownPath}: ${why}`);
    }
    return checkKey(content.trim(), `--api-key-file ${shownPath}`);
  }
  const key = env.OPENROUTER_API_KEY?.trim();
  if (key) return checkKey(key, 'OPENROUTER_API_KEY');
  if (!isOpenRouterUrl(baseUrl)) return undefined;
  throw new MissingKeyError(`no API key. ${howToGiveKey}`);
}
