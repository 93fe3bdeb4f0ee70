import { formatUsd } from '@genmeta/core';
import { escapeHtml } from '../../../shared/text/escape-html.js';
import type { BreakdownRow, ReportData } from '../report-data.js';
import { formatCount, formatShare } from './labels.js';

const accent = '#3b6fd8';
const unknownColor = '#d98a1c';
const gridColor = '#e3e6ec';
const textColor = '#4a5160';

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** The largest value, 0 for none: a loop, never `Math.max(...values)` (which overflows the stack). */
function largest(values: Iterable<number>): number {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** The most columns the timeline draws; a longer timeline is summed into this many. */
export const maxTimelineColumns = 400;

type TimelineColumn = ReportData['timeline']['points'][number] & { end: string };

/**
 * Consecutive points summed into at most {@link maxTimelineColumns} columns, each labelled from
 * its first point's start to its last one's (a timeline over centuries stays one small chart).
 */
function timelineColumns(points: ReportData['timeline']['points']): TimelineColumn[] {
  const perColumn = Math.max(1, Math.ceil(points.length / maxTimelineColumns));
  const columns: TimelineColumn[] = [];
  for (let index = 0; index < points.length; index += perColumn) {
    const slice = points.slice(index, index + perColumn);
    const first = slice[0];
    const last = slice[slice.length - 1];
    if (first === undefined || last === undefined) continue;
    let knownSpendUsd = 0;
    let requests = 0;
    let unknownCount = 0;
    for (const point of slice) {
      knownSpendUsd += point.knownSpendUsd;
      requests += point.requests;
      unknownCount += point.unknownCount;
    }
    columns.push({ start: first.start, end: last.start, knownSpendUsd, requests, unknownCount });
  }
  return columns;
}

/** A column chart of known spend over time; points with unknown spend get an orange tick. */
export function timelineChart(timeline: ReportData['timeline']): string {
  const { unit } = timeline;
  const points = timelineColumns(timeline.points);
  const width = 760;
  const height = 220;
  const left = 64;
  const bottom = 28;
  const top = 12;
  const plotWidth = width - left - 12;
  const plotHeight = height - top - bottom;
  const max = largest(points.map((point) => point.knownSpendUsd));
  const scale = max > 0 ? plotHeight / max : 0;
  const slot = points.length > 0 ? plotWidth / points.length : plotWidth;
  const barWidth = Math.max(1, slot * 0.8);
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  const parts: string[] = [];
  for (const fraction of [0, 0.5, 1]) {
    const y = top + plotHeight - fraction * plotHeight;
    parts.push(
      `<line x1="${left}" x2="${width - 12}" y1="${round(y)}" y2="${round(y)}" stroke="${gridColor}"/>`,
      `<text x="${left - 6}" y="${round(y + 4)}" text-anchor="end">${escapeHtml(formatUsd(max * fraction))}</text>`,
    );
  }
  points.forEach((point, index) => {
    const x = left + index * slot + (slot - barWidth) / 2;
    const barHeight = point.knownSpendUsd * scale;
    const name = (iso: string) => (unit === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 13)}:00Z`);
    const label =
      point.end === point.start ? name(point.start) : `${name(point.start)} to ${name(point.end)}`;
    const tooltip = `${label}: ${formatUsd(point.knownSpendUsd)} known, ${formatCount(point.requests)} requests${point.unknownCount > 0 ? `, ${formatCount(point.unknownCount)} unknown` : ''}`;
    parts.push(
      `<rect x="${round(x)}" y="${round(top + plotHeight - barHeight)}" width="${round(barWidth)}" height="${round(barHeight)}" fill="${accent}"><title>${escapeHtml(tooltip)}</title></rect>`,
    );
    if (point.unknownCount > 0) {
      parts.push(
        `<rect x="${round(x)}" y="${round(top + plotHeight + 2)}" width="${round(barWidth)}" height="3" fill="${unknownColor}"/>`,
      );
    }
    if (index % labelEvery === 0) {
      // Over more than a year a day's month and day would be ambiguous: the month says more.
      const dayLabel =
        timeline.points.length > 366 ? point.start.slice(0, 7) : point.start.slice(5, 10);
      const text = unit === 'day' ? dayLabel : point.start.slice(11, 13);
      parts.push(
        `<text x="${round(x + barWidth / 2)}" y="${height - 8}" text-anchor="middle">${escapeHtml(unit === 'day' ? text : `${text}h`)}</text>`,
      );
    }
  });
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Known spend by ${unit}" font-size="11" fill="${textColor}">${parts.join('')}</svg>`;
}

/** Horizontal bars of known spend for the first rows of a breakdown, largest first. */
export function barChart(rows: readonly BreakdownRow[], title: string, limit = 12): string {
  const shown = rows.slice(0, limit);
  const rowHeight = 24;
  const width = 760;
  const labelWidth = 230;
  const valueWidth = 230;
  const plotWidth = width - labelWidth - valueWidth;
  const height = Math.max(1, shown.length) * rowHeight + 8;
  const max = largest(shown.map((row) => row.knownSpendUsd));
  const parts = shown.map((row, index) => {
    const y = 4 + index * rowHeight;
    const barLength = max > 0 ? (row.knownSpendUsd / max) * plotWidth : 0;
    const label = [...row.key].length > 34 ? `${[...row.key].slice(0, 33).join('')}…` : row.key;
    const value = `${formatUsd(row.knownSpendUsd)} · ${formatShare(row.share)}${row.unknownCount > 0 ? ` · ${formatCount(row.unknownCount)} unknown` : ''}`;
    return [
      `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end"><title>${escapeHtml(row.key)}</title>${escapeHtml(label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${round(Math.max(barLength, 1))}" height="${rowHeight - 8}" rx="2" fill="${accent}"/>`,
      `<text x="${round(labelWidth + barLength + 6)}" y="${y + 16}">${escapeHtml(value)}</text>`,
    ].join('');
  });
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" font-size="12" fill="${textColor}">${parts.join('')}</svg>`;
}
