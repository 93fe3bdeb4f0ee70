import { describe, expect, it } from 'vitest';
import { stdinFrom } from '../../../test/helpers.js';
import { UsageError } from '../usage-errors.js';
import { gatherIds, maxLineLength, readLines } from './read-ids.js';

async function lines(input: AsyncIterable<string | Uint8Array>) {
  const seen: [string, number][] = [];
  await readLines(input, undefined, (line, lineNumber) => seen.push([line, lineNumber]));
  return seen;
}

describe('readLines and gatherIds', () => {
  it('skips blank lines and comments, trims, handles CRLF and a last line without newline', async () => {
    const input = stdinFrom('# header\r\ngen-1\r\n\n   \n  gen-2  # trailing note\n#gen-3\ngen-4');
    expect((await gatherIds(['-'], input)).ids).toEqual(['gen-1', 'gen-2', 'gen-4']);
    const numbered = await lines(
      stdinFrom(
        '# header\r\ngen-1\r\n\n   \n  gen-2  # trailing note\n#gen-3\ngen-4',
      ) as AsyncIterable<Uint8Array>,
    );
    expect(numbered.map(([, lineNumber]) => lineNumber)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(numbered.at(-1)).toEqual(['gen-4', 7]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('gen-é\n');
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5)];
    async function* input() {
      yield* chunks;
    }
    expect((await gatherIds(['-'], input() as never)).ids).toEqual(['gen-é']);
  });

  it('stops at a line over the cap, naming it, without reading the rest of an endless line', async () => {
    let pulled = 0;
    async function* endless() {
      yield 'gen-1\ngen-2\n';
      while (true) {
        pulled += 64 * 1024;
        yield 'x'.repeat(64 * 1024);
      }
    }
    const error = await readLines(endless(), undefined, () => {}).catch((caught) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^stdin line 3 is longer than 1048576 bytes/);
    expect(pulled).toBeLessThanOrEqual(maxLineLength + 64 * 1024);
  });

  it('takes the generationIds of whole cost record lines, plain or merged into a pino line', async () => {
    const record = (ids: unknown[]) => ({
      requestId: 'r',
      generations: [],
      unresolved: [],
      generationIds: ids,
    });
    const stdin = [
      JSON.stringify({ ...record(['gen-a', 'gen-b']), spendUsd: 1 }),
      JSON.stringify({ level: 30, time: 1, msg: 'genmeta cost', ...record(['gen-c']) }),
      JSON.stringify({ level: 30, record: record(['gen-nested']) }),
      JSON.stringify({ level: 30, msg: 'request body', body: { generationIds: ['gen-body'] } }),
      JSON.stringify({ generationIds: ['gen-bare'] }),
      JSON.stringify(record(['gen-a', 'bad id', 7, 'gen-d'])),
      '{"truncated": ',
      'gen-e # a plain id',
    ].join('\n');
    const gathered = await gatherIds(['-'], stdinFrom(stdin));
    expect(gathered.ids).toEqual(['gen-a', 'gen-b', 'gen-c', 'gen-d', 'gen-e']);
    expect(gathered.skippedLines).toEqual({ count: 4, first: 3 });
    expect(gathered.skippedIds).toEqual({ count: 2, first: 6 });
  });
});

describe('gatherIds', () => {
  it('keeps first appearance order and drops duplicates across arguments and stdin', async () => {
    const gathered = await gatherIds(
      ['gen-b', '-', 'gen-a'],
      stdinFrom('gen-a\ngen-c\ngen-b\ngen-c\n'),
    );
    expect(gathered.ids).toEqual(['gen-b', 'gen-a', 'gen-c']);
    expect(gathered.readStdin).toBe(true);
  });

  it('reads stdin with no ids only when stdin is not a terminal', async () => {
    expect((await gatherIds([], stdinFrom('gen-1\n'))).ids).toEqual(['gen-1']);
    const terminal = await gatherIds([], stdinFrom('gen-1\n', { isTTY: true }));
    expect(terminal).toMatchObject({ ids: [], readStdin: false });
  });
});
