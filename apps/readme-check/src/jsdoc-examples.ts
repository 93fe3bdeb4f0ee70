import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ReadmeBlock } from './readme-blocks.js';

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test(-d)?\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files.sort();
}

/**
 * The `@example` of every JSDoc comment in one source file. An example is a snippet (it uses
 * the names of the code around it), so each is compiled as a fragment: undeclared names are
 * allowed, wrong calls and properties are not.
 */
export function jsdocExamples(file: string, text: string): ReadmeBlock[] {
  const lines = text.split('\n');
  const examples: ReadmeBlock[] = [];
  lines.forEach((line, index) => {
    if (!/^\s*\*\s*@example\b/.test(line)) return;
    const code: string[] = [];
    for (let next = index + 1; next < lines.length; next += 1) {
      const text = lines[next] ?? '';
      if (/^\s*\*\//.test(text) || /^\s*\*\s*@\w/.test(text)) break;
      code.push(text.replace(/^\s*\* ?/, ''));
    }
    // As tsx: an example of a hook shows its JSX, even in a .ts file.
    const language = 'tsx';
    const joined = code.join('\n');
    examples.push({
      readme: file,
      line: index + 2,
      language,
      code: joined,
      fragment: true,
      heading: 'JSDoc @example',
      files: [{ path: `index.${language}`, code: joined, firstLine: index + 2 }],
    });
  });
  return examples;
}

/** The JSDoc `@example`s of every package's source (tests left out), paths relative to `root`. */
export function packageExamples(root: string): ReadmeBlock[] {
  const packages = join(root, 'packages');
  return readdirSync(packages, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const source = join(packages, entry.name, 'src');
      try {
        return sourceFiles(source);
      } catch {
        return [];
      }
    })
    .flatMap((file) => jsdocExamples(relative(root, file), readFileSync(file, 'utf8')));
}
