import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSourceLayout, importCircles, importGraph } from '@genmeta/fixture-source-layout';
import { describe, expect, it } from 'vitest';

// The layout rules every package keeps (fixtures/source-layout): no import circles, no imports
// of missing files, at most 20 source files directly in a folder, none over 300 lines.

const sourceFolder = fileURLToPath(new URL('../src/', import.meta.url));
const shown = (file: string): string => relative(sourceFolder, file);

describe('the layout of @genmeta/cli/src', () => {
  const report = checkSourceLayout(sourceFolder);

  it('has no import circles', () => expect(report.circles).toEqual([]));
  it('imports only files that exist', () => expect(report.missingImports).toEqual([]));
  it('keeps folders small', () => expect(report.crowdedFolders).toEqual([]));
  it('keeps files under 300 lines', () => expect(report.longFiles).toEqual([]));

  it('finds a circle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['/s/a.ts', ['/s/b.ts']],
      ['/s/b.ts', ['/s/c.ts']],
      ['/s/c.ts', ['/s/a.ts']],
    ]);
    expect(importCircles(graph, '/s')).toEqual(['a.ts -> b.ts -> c.ts -> a.ts']);
  });

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
