import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** No usable key: the message says which way to give one. Exit code 3. */
export class MissingKeyError extends Error {
  override readonly name = 'MissingKeyError';
}

const howToGiveKey =
  'Set OPENROUTER_API_KEY in the environment, or pass --api-key-file PATH (a file holding only the key).';

function describeReadError(error: unknown): string {
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

/**
 * The API key: the trimmed content of `--api-key-file` when given (relative to `cwd`), else
 * OPENROUTER_API_KEY. Throws {@link MissingKeyError}, never with the key in the message.
 */
export async function resolveApiKey(
  apiKeyFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<string> {
  if (apiKeyFile !== undefined) {
    let content: string;
    try {
      content = await readFile(resolve(cwd, apiKeyFile), 'utf8');
    } catch (error) {
      throw new MissingKeyError(
        `cannot read --api-key-file ${apiKeyFile}: ${describeReadError(error)}`,
      );
    }
    const key = content.trim();
    if (key === '') throw new MissingKeyError(`--api-key-file ${apiKeyFile} is empty`);
    if (/\s/.test(key)) {
      throw new MissingKeyError(
        `--api-key-file ${apiKeyFile} must hold only the key (found more than one word)`,
      );
    }
    return key;
  }
  const key = env.OPENROUTER_API_KEY?.trim();
  if (!key) throw new MissingKeyError(`no API key. ${howToGiveKey}`);
  return key;
}
