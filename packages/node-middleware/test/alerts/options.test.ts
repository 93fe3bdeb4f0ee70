// Invalid rules fail at construction, with the option named.
import { describe, expect, it } from 'vitest';
import { type CostAlertsOptions, costAlerts } from '../../src/index.js';

const cases: Array<[string, unknown, ErrorConstructor, RegExp]> = [
  ['no rule at all', {}, TypeError, /give at least one rule/],
  [
    'a negative limit',
    { budgets: [{ group: 'user', limitUsd: -1 }] },
    RangeError,
    /"budgets\[0\]\.limitUsd"/,
  ],
  [
    'a bad window',
    { budgets: [{ group: 'user', limitUsd: 1, window: 'year' }] },
    TypeError,
    /"budgets\[0\]\.window"/,
  ],
  [
    'a fractional windowMs',
    { budgets: [{ group: 'user', limitUsd: 1, window: { windowMs: 1.5 } }] },
    RangeError,
    /"budgets\[0\]\.window" must have windowMs/,
  ],
  [
    'a zero threshold',
    { budgets: [{ group: 'user', limitUsd: 1, thresholds: [0] }] },
    RangeError,
    /"budgets\[0\]\.thresholds"/,
  ],
  [
    'a group that is not a name',
    { budgets: [{ group: 'a b', limitUsd: 1 }] },
    TypeError,
    /"budgets\[0\]\.group"/,
  ],
  [
    'minIntervals above the history',
    { anomalies: [{ group: 'user', minIntervals: 40 }] },
    RangeError,
    /"anomalies\[0\]\.minIntervals"/,
  ],
  ['a ratio of 1', { unknownSpend: { ratio: 1 } }, RangeError, /"unknownSpend\.ratio"/],
  [
    'a webhook that is not a URL',
    { key: {}, webhook: { url: 'not a url' } },
    TypeError,
    /"webhook\.url"/,
  ],
  [
    'a webhook with no attempt',
    { key: {}, webhook: { url: 'https://example.com/x', attempts: 0 } },
    RangeError,
    /"webhook\.attempts"/,
  ],
  ['a store without claim', { key: {}, store: { add() {}, top() {} } }, TypeError, /"store"/],
];

describe('costAlerts options', () => {
  it.each(cases)('rejects %s', (_name, options, type, message) => {
    expect(() => costAlerts(options as CostAlertsOptions)).toThrow(type);
    expect(() => costAlerts(options as CostAlertsOptions)).toThrow(message);
  });

  it('never repeats a webhook URL in its error (it is often a secret)', () => {
    const url = 'ftp://hooks.example.com/T0/B0/very-secret-token';
    expect(() => costAlerts({ key: {}, webhook: { url } })).toThrow(/^(?!.*very-secret-token)/);
  });
});
