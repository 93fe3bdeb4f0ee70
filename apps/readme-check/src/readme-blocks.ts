import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The fence languages that are TypeScript. */
const typescriptFences = new Map([
  ['ts', 'ts'],
  ['typescript', 'ts'],
  ['tsx', 'tsx'],
] as const);

/**
 * A line that starts a file of its own inside a block: `// app/api/chat/route.ts` (an optional
 * `: note` may follow). A block showing several files of an app is compiled as those files, so
 * their relative imports resolve between them.
 */
const fileMarker = /^\/\/ ([\w@.[\]-]+(?:\/[\w@.[\]-]+)*\.(?:tsx?|mts|mjs|js))(?::.*)?$/;

/** A deliberate fragment says so with a `// ...` line (`// ...` alone, or followed by a note). */
const fragmentMarker = /^\s*\/\/ \.\.\.(?:\s|$)/m;

/** One file of a block, as compiled. */
export interface BlockFile {
  /** path inside the block's own folder, e.g. `index.ts` or `app/api/chat/route.ts` */
  path: string;
  code: string;
  /** the README line of the file's first line (1-based) */
  firstLine: number;
}

/** One TypeScript code block of a README. */
export interface ReadmeBlock {
  /** the README's path from the repository root, e.g. `packages/core/README.md` */
  readme: string;
  /** the README line of the block's first code line (1-based) */
  line: number;
  language: 'ts' | 'tsx';
  code: string;
  /** true when the block carries a `// ...` line: it is compiled, but names it does not declare are allowed */
  fragment: boolean;
  /** the heading the block sits under, e.g. `Quick start` */
  heading: string;
  files: BlockFile[];
}

/** Every README.md of the repository that documents it: the root's, packages/*, apps/*. */
export function findReadmes(root: string): string[] {
  const readmes = [join(root, 'README.md')];
  for (const folder of ['packages', 'apps']) {
    const parent = join(root, folder);
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const readme = join(parent, entry.name, 'README.md');
      if (entry.isDirectory() && existsSync(readme)) readmes.push(readme);
    }
  }
  return readmes.filter((readme) => existsSync(readme));
}

function splitFiles(
  lines: readonly string[],
  firstLine: number,
  language: 'ts' | 'tsx',
): BlockFile[] {
  const files: BlockFile[] = [];
  let current: BlockFile = { path: `index.${language}`, code: '', firstLine };
  const body: string[] = [];
  const close = () => {
    current.code = body.join('\n');
    if (current.code.trim() !== '') files.push(current);
    body.length = 0;
  };
  lines.forEach((text, index) => {
    const marker = fileMarker.exec(text.trim());
    if (marker?.[1] !== undefined) {
      close();
      current = { path: marker[1], code: '', firstLine: firstLine + index };
    }
    body.push(text);
  });
  close();
  return files;
}

/** The TypeScript blocks of one README's text; `readme` is the path shown in messages. */
export function extractBlocks(readme: string, text: string): ReadmeBlock[] {
  const lines = text.split('\n');
  const blocks: ReadmeBlock[] = [];
  let heading = '';
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const title = /^#{1,6}\s+(.*)$/.exec(line);
    if (title?.[1] !== undefined) heading = title[1].trim();
    // CommonMark: a fence is 3+ backticks or tildes indented at most 3 spaces, and a backtick
    // fence's info string has no backtick (else the line is inline code).
    const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
    if (open === null) continue;
    const [, indent = '', fence = '```', rest = ''] = open;
    if (fence.startsWith('`') && rest.includes('`')) continue;
    const info = rest.trim().split(/\s+/)[0] ?? '';
    let end = index + 1;
    // Closed by a line of the same character, at least as long, and nothing else.
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    while (end < lines.length && !closing.test(lines[end] ?? '')) end += 1;
    const language = typescriptFences.get(info as 'ts');
    if (language !== undefined) {
      // A block indented in a list keeps its code's own indentation relative to the fence.
      const code = lines
        .slice(index + 1, end)
        .map((text) => (text.startsWith(indent) ? text.slice(indent.length) : text));
      const joined = code.join('\n');
      blocks.push({
        readme,
        line: index + 2,
        language,
        code: joined,
        fragment: fragmentMarker.test(joined),
        heading,
        files: splitFiles(code, index + 2, language),
      });
    }
    index = end;
  }
  return blocks;
}

/** The TypeScript blocks of every README under `root`, paths relative to it. */
export function readmeBlocks(root: string): ReadmeBlock[] {
  return findReadmes(root).flatMap((readme) =>
    extractBlocks(relative(root, readme), readFileSync(readme, 'utf8')),
  );
}

/** A block's name in test titles and messages: `packages/core/README.md:14`. */
export function blockName(block: Pick<ReadmeBlock, 'readme' | 'line'>): string {
  return `${block.readme}:${block.line}`;
}
