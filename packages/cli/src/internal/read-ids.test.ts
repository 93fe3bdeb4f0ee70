import { describe, expect, it } from 'vitest';
import { stdinFrom } from '../../test/helpers';
import { gatherIds, readIdLines } from './read-ids';

describe('readIdLines', () => {
  it('skips blank lines and comments, trims, handles CRLF and a last line without newline', async () => {
    const input = stdinFrom('# header\r\ngen-1\r\n\n   \n  gen-2  # trailing note\n#gen-3\ngen-4');
    const sources = await readIdLines(input as AsyncIterable<Uint8Array>);
    expect(sources).toEqual([
      { id: 'gen-1', origin: 'stdin line 2' },
      { id: 'gen-2', origin: 'stdin line 5' },
      { id: 'gen-4', origin: 'stdin line 7' },
    ]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('gen-é\n');
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5)];
    async function* input() {
      yield* chunks;
    }
    expect((await readIdLines(input())).map((source) => source.id)).toEqual(['gen-é']);
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
    expect(terminal).toEqual({ ids: [], sources: [], readStdin: false });
  });
});
