import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkKey, describeReadError, MissingKeyError } from '../../shared/api-key.js';
import { printable } from '../../shared/text/terminal-text.js';

/**
 * The key reconcile reads billing with: OPENROUTER_MANAGEMENT_KEY, else OPENROUTER_API_KEY,
 * else the content of `--api-key-file` (relative to `cwd`); never argv. Billing needs a
 * management key, so there is no keyless mode. Throws {@link MissingKeyError}, never with the key.
 */
export async function resolveReconcileKey(
  apiKeyFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<string> {
  for (const name of ['OPENROUTER_MANAGEMENT_KEY', 'OPENROUTER_API_KEY'] as const) {
    const key = env[name]?.trim();
    if (key) return checkKey(key, name);
  }
  if (apiKeyFile !== undefined) {
    const shownPath = printable(apiKeyFile, 200);
    let content: string;
    try {
      content = await readFile(resolve(cwd, apiKeyFile), 'utf8');
    } catch (error) {
      throw new MissingKeyError(
        `cannot read --api-key-file ${shownPath}: ${describeReadError(error)}`,
      );
    }
    return checkKey(content.trim(), `--api-key-file ${shownPath}`);
  }
  throw new MissingKeyError(
    "no key. Reconcile reads what OpenRouter billed, which needs a management key (made in OpenRouter's settings): set OPENROUTER_MANAGEMENT_KEY, or pass --api-key-file PATH.",
  );
}
