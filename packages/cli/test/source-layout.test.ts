import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeSourceLayout, importGraph } from '@genmeta/fixture-source-layout';
import { describe, expect, it } from 'vitest';

// The layout rules every package keeps (fixtures/source-layout): no import circles, no imports
// of missing files, at most 20 source files directly in a folder, none over 300 lines.

const sourceFolder = fileURLToPath(new URL('../src/', import.meta.url));
const shown = (file: string): string => relative(sourceFolder, file);

await describeSourceLayout('@genmeta/cli', sourceFolder);

describe('the commands of @genmeta/cli/src', () => {
  it('keeps shared/ free of the commands', () => {
    const upward = [...importGraph(sourceFolder)]
      .filter(([file]) => shown(file).startsWith('shared/'))
      .flatMap(([file, targets]) =>
        targets
          .filter(
            (target) => target.startsWith(sourceFolder) && !shown(target).startsWith('shared/'),
          )
          .map((target) => `${shown(file)} -> ${shown(target)}`),
      );
    expect(upward).toEqual([]);
  });
});
