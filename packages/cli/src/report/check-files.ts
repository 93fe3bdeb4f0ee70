import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { printable, UsageError } from '../internal/arguments.js';

/**
 * Refuses, before any reading starts, a records source that is not a readable regular file
 * (`-` is stdin), as a usage error of `command` that names the file and why.
 */
export async function checkRecordFiles(
  sources: readonly string[],
  cwd: string,
  command: 'report' | 'reconcile',
): Promise<void> {
  for (const source of sources) {
    if (source === '-') continue;
    let isFile = false;
    try {
      isFile = (await stat(resolve(cwd, source))).isFile();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
      throw new UsageError(`cannot read "${printable(source, 200)}": ${why}`, command);
    }
    if (!isFile) throw new UsageError(`"${printable(source, 200)}" is not a file`, command);
  }
}
