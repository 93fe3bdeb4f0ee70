import { describe, expect, it } from 'vitest';
import { costRecordsIn, isCostRecord, parseCostRecordLine } from '../rules.js';

const record = { requestId: 'r1', generations: [], unresolved: [], spendUsd: null };

describe('parseCostRecordLine', () => {
  it('reads a costLogger line and a pino line holding the record at its top level', () => {
    expect(parseCostRecordLine(JSON.stringify(record))).toEqual(record);
    const pino = { level: 30, time: 1, msg: 'cost', ...record };
    expect(parseCostRecordLine(`  ${JSON.stringify(pino)}\r`)).toEqual(pino);
  });

  it('says why another line is not a record, and passes blank lines over', () => {
    expect(parseCostRecordLine('')).toBeUndefined();
    expect(parseCostRecordLine(' \t\r')).toBeUndefined();
    expect(parseCostRecordLine('GET / 200')).toBe('not_json');
    expect(parseCostRecordLine('[1,2]')).toBe('not_json');
    expect(parseCostRecordLine('{"requestId":')).toBe('not_json');
    expect(parseCostRecordLine('{"a":1}')).toBe('not_a_record');
    // A body an app logs with ids nested in it is not a record.
    expect(parseCostRecordLine(JSON.stringify({ body: record, generationIds: ['gen-1'] }))).toBe(
      'not_a_record',
    );
    expect(parseCostRecordLine(JSON.stringify({ ...record, requestId: 7 }))).toBe('not_a_record');
    expect(parseCostRecordLine(JSON.stringify({ ...record, unresolved: {} }))).toBe('not_a_record');
  });
});

describe('isCostRecord', () => {
  it('checks the three fields at the top level only', () => {
    expect(isCostRecord(record)).toBe(true);
    expect(isCostRecord(null)).toBe(false);
    expect(isCostRecord([record])).toBe(false);
    expect(isCostRecord({ requestId: 'r', generations: [] })).toBe(false);
  });
});

describe('costRecordsIn', () => {
  it('keeps the records of an NDJSON text in order, whatever else it holds', () => {
    const second = { ...record, requestId: 'r2' };
    const text = [
      'listening on 3000',
      JSON.stringify(record),
      '',
      '{"msg":"hi"}',
      JSON.stringify(second),
    ].join('\n');
    expect(costRecordsIn(text).map((item) => item.requestId)).toEqual(['r1', 'r2']);
    expect(costRecordsIn(text.split('\n'))).toHaveLength(2);
  });
});
