import { OPENROUTER_API_BASE_URL } from '@genmeta/core/rules';
import { describe, expect, it } from 'vitest';
import { commandHelp, mainHelp } from './help.js';

describe('help', () => {
  // help.ts cannot import core (--help must not load it): this keeps its literal honest.
  it("names core's default base URL", () => {
    expect(mainHelp('0.0.0')).toContain(`default ${OPENROUTER_API_BASE_URL}]`);
  });

  it("describes each command's own formats", () => {
    const cost = commandHelp('cost');
    expect(cost).toMatch(/--json +one summary object/);
    expect(cost).toMatch(/--csv +group,name,count,spend_usd,unknown_count rows/);
    expect(cost).not.toContain('NDJSON');
    const get = commandHelp('get');
    expect(get).toMatch(/--json +one JSON object for one id, one line per id \(NDJSON\)/);
    expect(get).toMatch(/--csv +a header row, then one row per id/);
  });

  it('says a proxy base URL needs no key', () => {
    for (const text of [mainHelp('0.0.0'), commandHelp('get'), commandHelp('cost')]) {
      expect(text).toContain("not OpenRouter's (a genmeta proxy route) works without a key");
    }
  });
});
