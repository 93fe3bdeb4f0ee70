import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatUsd } from '@genmeta/core';
import { launchChromium } from '@genmeta/fixture-chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../src/commands/report/report-data.js';
import { spawnBin } from './spawn-bin.js';

const mixed = fileURLToPath(new URL('./fixtures/report/mixed.ndjson', import.meta.url));
const synthetic = fileURLToPath(new URL('../bench/synthetic-records.mjs', import.meta.url));

let directory: string;
let browser: Browser | undefined;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'genmeta-report-html-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rm(directory, { recursive: true, force: true });
});

/** Runs the report once with --html and --json, so both come from the same run. */
async function htmlAndJson(log: string, by: string): Promise<{ file: string; json: ReportData }> {
  const file = join(directory, `${by.replace(/\W/g, '-')}.html`);
  const result = await spawnBin(['report', '--json', '--by', by, '--html', file, log]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain(`genmeta: wrote the HTML report to ${file}\n`);
  return { file, json: JSON.parse(result.stdout) as ReportData };
}

/** Opens the file with every request other than the file itself refused and recorded. */
async function open(file: string): Promise<{ page: Page; requests: string[]; problems: string[] }> {
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
  const requests: string[] = [];
  const problems: string[] = [];
  const url = pathToFileURL(file).href;
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  page.on('console', (message) => problems.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(url);
  return { page, requests, problems };
}

describe('genmeta report --html in Chromium', () => {
  it('renders offline, its numbers equal --json, log values stay text', async () => {
    const { file, json } = await htmlAndJson(mixed, 'model,route,attribute:user');
    const { page, requests, problems } = await open(file);
    try {
      // Nothing loaded but the file, no script ran, no error or policy violation was logged.
      expect(requests).toEqual([]);
      expect(problems).toEqual([]);
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      expect(await page.evaluate(() => 'pwned' in window)).toBe(false);
      // The hostile model name is shown as the text it is, in the chart and the table.
      const scriptRow = page.locator('section[data-breakdown="model"] tbody tr', {
        hasText: '<script>window.pwned=1</script>',
      });
      expect(await scriptRow.count()).toBe(1);
      expect(await page.locator('svg text', { hasText: '<script>' }).count()).toBeGreaterThan(0);

      const metric = (name: string, attribute: string) =>
        page.locator(`[data-metric="${name}"]`).getAttribute(attribute);
      expect(Number(await metric('requests', 'data-value'))).toBe(json.requests);
      expect(Number(await metric('generations', 'data-value'))).toBe(json.generations.tracked);
      expect(Number(await metric('known-spend', 'data-usd'))).toBe(json.knownSpendUsd);
      expect(Number(await metric('unknown-count', 'data-value'))).toBe(json.unknownSpend.count);
      expect(await page.locator('[data-metric="known-spend"]').textContent()).toBe(
        `≥ ${formatUsd(json.knownSpendUsd)}`,
      );
      expect(await page.locator('body').textContent()).toContain(
        'Known spend is a lower bound: 3 generations without a known cost are not counted',
      );

      // Every breakdown of --json, row by row, in the same order.
      expect(
        await page
          .locator('section[data-breakdown]')
          .evaluateAll((sections) =>
            sections.map((section) => section.getAttribute('data-breakdown')),
          ),
      ).toEqual(json.breakdowns.map((breakdown) => breakdown.by));
      for (const breakdown of json.breakdowns) {
        const rows = await page
          .locator(`section[data-breakdown="${breakdown.by}"] tbody tr`)
          .evaluateAll((elements) =>
            elements.map((row) => ({
              key: row.getAttribute('data-key'),
              requests: row.querySelector('[data-field="requests"]')?.textContent,
              generations: row.querySelector('[data-field="generations"]')?.textContent,
              knownSpendUsd: Number(
                row.querySelector('[data-field="known-spend"]')?.getAttribute('data-usd'),
              ),
              spendText: row.querySelector('[data-field="known-spend"]')?.textContent,
              unknown: row.querySelector('[data-field="unknown"]')?.textContent,
            })),
          );
        expect(rows).toEqual(
          breakdown.rows.map((row) => ({
            key: row.key,
            requests: String(row.requests),
            generations: String(row.generations),
            knownSpendUsd: row.knownSpendUsd,
            spendText: formatUsd(row.knownSpendUsd),
            unknown: row.unknownCount === 0 ? '-' : String(row.unknownCount),
          })),
        );
      }
      // The top requests, in order.
      expect(
        await page
          .locator('section[data-section="top"] tbody tr')
          .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-request-id'))),
      ).toEqual(json.top.map((request) => request.requestId));
    } finally {
      await page.close();
    }
  });

  it('charts spend over time (by day for a week), by model, route and the attribute', async () => {
    const log = join(directory, 'week.ndjson');
    const child = spawn(process.execPath, [synthetic, '400', log, '--days', '7'], {
      stdio: 'inherit',
    });
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    const { file, json } = await htmlAndJson(log, 'attribute:plan');
    const { page, requests } = await open(file);
    try {
      expect(requests).toEqual([]);
      expect(json.timeline.unit).toBe('day');
      expect(json.timeline.points).toHaveLength(7);
      // One column per day, each as wide as the others, and taller where more was spent.
      const columns = await page
        .locator('section[data-section="timeline"] svg rect:has(title)')
        .evaluateAll((rects) =>
          rects.map((rect) => ({
            height: (rect as SVGRectElement).getBBox().height,
            title: rect.querySelector('title')?.textContent ?? '',
          })),
        );
      expect(columns).toHaveLength(7);
      const days = json.timeline.points;
      const tallest = columns.reduce(
        (best, column, index) => (column.height > (columns[best]?.height ?? 0) ? index : best),
        0,
      );
      const richest = days.reduce(
        (best, point, index) =>
          point.knownSpendUsd > (days[best]?.knownSpendUsd ?? 0) ? index : best,
        0,
      );
      expect(tallest).toBe(richest);
      expect(columns[0]?.title).toContain(
        `${days[0]?.start.slice(0, 10)}: ${formatUsd(days[0]?.knownSpendUsd)} known`,
      );
      // The HTML adds model and route to the breakdowns asked for.
      const charts = await page.locator('section[data-breakdown]').evaluateAll((sections) =>
        sections.map((section) => ({
          by: section.getAttribute('data-breakdown'),
          bars: section.querySelectorAll('svg rect').length,
          width: section.querySelector('svg')?.getBoundingClientRect().width ?? 0,
        })),
      );
      expect(charts.map((chart) => chart.by)).toEqual(['attribute:plan', 'model', 'route']);
      expect(charts.map((chart) => chart.bars)).toEqual([3, 6, 4]);
      for (const chart of charts) expect(chart.width).toBeGreaterThan(500);
      // The self-contained file is the whole report: no link, no src, no url().
      const html = await readFile(file, 'utf8');
      expect(html).not.toMatch(/<link|<script|src=|href=|url\(/i);
    } finally {
      await page.close();
    }
  });
});
