// @vitest-environment node
// Checks the built output (turbo builds this package before its tests).
import { readFileSync } from 'node:fs';
import { createClient } from '@genmeta/core';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
const importsOf = (code: string) =>
  [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']/gm)].map(
    (match) => match[1],
  );

describe('dist', () => {
  it("keeps 'use client' on the module with the hooks and the provider", () => {
    const client = read('client.js');
    expect(client.trimStart()).toMatch(/^["']use client["'];/);
    expect(importsOf(client)).toContain('react');
  });

  it('keeps the entry free of React, so server components can call generationQueryOptions', async () => {
    const index = read('index.js');
    expect(new Set(importsOf(index))).toEqual(
      new Set(['./client.js', '@genmeta/core', '@genmeta/core/rules']),
    );
    expect(index).not.toMatch(/["']use client["']/);

    expect(typeof window).toBe('undefined');
    const built = await import('../dist/index.js');
    expect(built.DEFAULT_BASE_URL).toBe('/api/genmeta');
    const client = createClient({ baseUrl: 'http://127.0.0.1:9/api/genmeta', apiKey: '' });
    expect(built.generationQueryOptions('gen-1', client).queryKey).toEqual([
      'genmeta',
      'generation',
      'gen-1',
    ]);
    expect(typeof built.useGeneration).toBe('function');
  });
});
