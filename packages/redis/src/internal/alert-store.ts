import type { AlertContributor, AlertStore } from '@genmeta/core/engine';
import { roundUsd } from '@genmeta/core/engine';
import { type CommandRunner, luaScript } from './commands.js';

// Spend alerts on Redis: a counter per group and window (INCRBYFLOAT) with a sorted set per
// contributor dimension beside it, trimmed to its largest TALLY_SIZE members so a month of
// requests stays bounded, all expiring with the window; and one key per alert, claimed with
// SET NX, so that each alert is raised by exactly one instance of the fleet.
const TALLY_SIZE = 32;

// KEYS[1]: the counter; KEYS[2..]: one tally per contribution. ARGV[1]: amount, ARGV[2]: ttl ms,
// then one (member, amount) pair per tally key. Answers the counter's new total.
const addScript = luaScript(`local total = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
for i = 2, #KEYS do
  local member = ARGV[1 + (i - 1) * 2]
  local amount = ARGV[2 + (i - 1) * 2]
  redis.call('ZINCRBY', KEYS[i], amount, member)
  local size = redis.call('ZCARD', KEYS[i])
  if size > ${TALLY_SIZE} then redis.call('ZREMRANGEBYRANK', KEYS[i], 0, size - ${TALLY_SIZE} - 1) end
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return total`);

export interface AlertKeyLayout {
  counter(key: string): string;
  tally(key: string, dimension: string): string;
  claim(id: string): string;
}

export function alertKeyLayout(prefix: string): AlertKeyLayout {
  return {
    counter: (key) => `${prefix}alerts:sum:${key}`,
    tally: (key, dimension) => `${prefix}alerts:top:${dimension}:${key}`,
    claim: (id) => `${prefix}alerts:claim:${id}`,
  };
}

/** `ZRANGE … WITHSCORES` as RESP2 (flat member, score) or RESP3 (pairs) answers it. */
function contributorsOf(reply: unknown): AlertContributor[] {
  const rows = Array.isArray(reply) ? reply : [];
  const pairs: unknown[][] = Array.isArray(rows[0])
    ? (rows as unknown[][])
    : rows.flatMap((row, index) => (index % 2 === 0 ? [[row, rows[index + 1]]] : []));
  return pairs.map(([name, score]) => ({ name: String(name), amountUsd: roundUsd(Number(score)) }));
}

function checkTtl(operation: string, ttlMs: number): string {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new TypeError(`alerts.${operation}: ttlMs must be a positive integer (got ${ttlMs})`);
  }
  return String(ttlMs);
}

/**
 * The alert store on Redis. Every method rejects with `RedisUnavailableError` while Redis is
 * away: `costAlerts` then falls back to per-process counting and claims (with one warning).
 */
export function createRedisAlertStore(commands: CommandRunner, keys: AlertKeyLayout): AlertStore {
  return {
    async add(key, amountUsd, ttlMs, contributions = []) {
      const ttl = checkTtl('add', ttlMs);
      if (!Number.isFinite(amountUsd)) {
        throw new TypeError(`alerts.add: amountUsd must be a finite number (got ${amountUsd})`);
      }
      const tallyKeys: string[] = [];
      const tallyArgs: string[] = [];
      for (const contribution of contributions) {
        if (!Number.isFinite(contribution.amountUsd) || contribution.amountUsd <= 0) continue;
        tallyKeys.push(keys.tally(key, contribution.dimension));
        tallyArgs.push(contribution.name, String(contribution.amountUsd));
      }
      const reply = await commands.script(
        'alerts.add',
        addScript,
        [keys.counter(key), ...tallyKeys],
        [String(amountUsd), ttl, ...tallyArgs],
      );
      return roundUsd(Number(reply));
    },
    async top(key, dimensions, limit) {
      const answer: Record<string, AlertContributor[]> = {};
      for (const dimension of dimensions) {
        const reply = await commands.send('alerts.top', [
          'ZRANGE',
          keys.tally(key, dimension),
          '0',
          String(Math.max(0, limit - 1)),
          'REV',
          'WITHSCORES',
        ]);
        answer[dimension] = contributorsOf(reply);
      }
      return answer;
    },
    async claim(id, ttlMs) {
      const ttl = checkTtl('claim', ttlMs);
      const reply = await commands.send('alerts.claim', [
        'SET',
        keys.claim(id),
        '1',
        'NX',
        'PX',
        ttl,
      ]);
      return reply === 'OK';
    },
  };
}
