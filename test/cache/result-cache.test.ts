// The result cache as a unit (src/core/reporting/cache.ts): which invalidations reach which entries, the
// memory bound, concurrent misses computed once, errors never kept, Redis down = uncached (never stale),
// the serialisation of Maps and Dates; and every indicator's and cohort's `tables` naming each table its SQL reads.
import { describe, expect, it, vi } from 'vitest';
import { allServices } from '../../services/index.js';
import { type PeriodType, parsePeriod, yearPeriodContaining } from '../../src/core/period-codes.js';
import type { CohortDefinition } from '../../src/core/plugin.js';
import {
  createResultCache,
  decode,
  ENGINE_TABLES,
  encode,
  factsTables,
  invalidateResults,
} from '../../src/core/reporting/cache.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import type { Database } from '../../src/db.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { readingPilot } from '../pilot/plugin.js';

/** A loader over a counter: each computed value says how many times `load` ran. */
function counting() {
  const calls: string[][] = [];
  const load = async (keys: readonly string[]) => {
    calls.push([...keys]);
    return keys.map((k) => `${k}#${calls.length}`);
  };
  return { calls, load };
}

async function read(
  cache: ReturnType<typeof createResultCache>,
  load: (k: readonly string[]) => Promise<(string | Error)[]>,
  tables: Record<string, readonly string[] | 'ALL'>,
  keys: string[],
) {
  return cache.forRequest().batch('t', (k) => tables[k], load)(keys);
}

describe('invalidation', () => {
  const tables = { a: ['A'], ab: ['A', 'B'], c: ['C'], any: 'ALL' } as const;

  it('reaches the entries reading a changed table, and entries of unknown tables, only', async () => {
    const cache = createResultCache({ redisUrl: null });
    const { calls, load } = counting();
    const keys = Object.keys(tables);
    expect(await read(cache, load, tables, keys)).toEqual(['a#1', 'ab#1', 'c#1', 'any#1']);
    expect(await read(cache, load, tables, keys)).toEqual(['a#1', 'ab#1', 'c#1', 'any#1']);
    await cache.invalidate(['B']);
    expect(await read(cache, load, tables, keys)).toEqual(['a#1', 'ab#2', 'c#1', 'any#2']);
    expect(calls.at(-1)).toEqual(['ab', 'any']);
    await cache.invalidate('ALL');
    expect(await read(cache, load, tables, keys)).toEqual(['a#3', 'ab#3', 'c#3', 'any#3']);
  });

  it('gives one request one state: an import during a request shows from the next request on', async () => {
    const cache = createResultCache({ redisUrl: null });
    const { load } = counting();
    const request = cache.forRequest().batch('t', () => ['A'], load);
    expect(await request(['x'])).toEqual(['x#1']);
    await cache.invalidate(['A']);
    expect(await request(['x'])).toEqual(['x#1']);
    expect(await cache.forRequest().batch('t', () => ['A'], load)(['x'])).toEqual(['x#2']);
  });

  it('reaches every app cache over a database, and needs no Redis to do it', async () => {
    const db = {} as Database;
    const { attachResultCache } = await import('../../src/core/reporting/cache.js');
    const one = createResultCache({ redisUrl: null });
    const two = createResultCache({ redisUrl: null });
    attachResultCache(db, one);
    const detach = attachResultCache(db, two);
    const { load } = counting();
    await read(one, load, { k: ['T'] }, ['k']);
    await read(two, load, { k: ['T'] }, ['k']);
    await invalidateResults(db, ['T'], { redisUrl: null });
    expect(await read(one, load, { k: ['T'] }, ['k'])).toEqual(['k#3']);
    expect(await read(two, load, { k: ['T'] }, ['k'])).toEqual(['k#4']);
    detach();
    await invalidateResults(db, ['T'], { redisUrl: null });
    expect(await read(two, load, { k: ['T'] }, ['k'])).toEqual(['k#4']);
  });
});

describe('the in-process store', () => {
  it('stays within its memory bound, dropping the least recently used entries', async () => {
    const cache = createResultCache({ redisUrl: null, maxBytes: 1000 });
    const load = async (keys: readonly string[]) => keys.map(() => 'x'.repeat(200)); // 202 bytes as JSON
    const batch = cache.forRequest().batch('t', () => ['A'], load);
    for (let i = 0; i < 20; i++) await batch([`k${i}`]);
    expect(cache.stats().bytes).toBeLessThanOrEqual(1000);
    expect(cache.stats().entries).toBe(4); // floor(1000 / 202)
    const { calls, load: again } = counting();
    await cache.forRequest().batch('t', () => ['A'], again)(['k19', 'k0']);
    expect(calls).toEqual([['k0']]); // k19 is recent, k0 was dropped
  });

  it('computes an entry once for concurrent requests, and never keeps an error', async () => {
    const cache = createResultCache({ redisUrl: null });
    let runs = 0;
    const load = async (keys: readonly string[]) => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return keys.map((k) => (k === 'bad' ? new Error('no such thing') : k));
    };
    const results = await Promise.all(
      [1, 2, 3].map(() => cache.forRequest().batch('t', () => ['A'], load)(['ok', 'bad'])),
    );
    expect(runs).toBe(1);
    for (const [ok, bad] of results) {
      expect(ok).toBe('ok');
      expect(bad).toBeInstanceOf(Error);
    }
    await cache.forRequest().batch('t', () => ['A'], load)(['bad']);
    expect(runs).toBe(2);
  });

  it('is off with enabled: false (CYPE_CACHE=off)', async () => {
    const cache = createResultCache({ enabled: false });
    const { calls, load } = counting();
    await read(cache, load, { k: ['A'] }, ['k']);
    await read(cache, load, { k: ['A'] }, ['k']);
    expect(calls).toHaveLength(2);
  });
});

describe('without a reachable Redis', () => {
  it('runs every request uncached, and an import still succeeds', async () => {
    const cache = createResultCache({ redisUrl: 'redis://127.0.0.1:1', prefix: 'cype:test:down:' });
    const { calls, load } = counting();
    await read(cache, load, { k: ['A'] }, ['k']);
    await read(cache, load, { k: ['A'] }, ['k']);
    expect(calls).toHaveLength(2);
    expect(cache.stats().errors).toBeGreaterThan(0);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const db = {} as Database;
    const { attachResultCache } = await import('../../src/core/reporting/cache.js');
    attachResultCache(db, cache);
    await expect(invalidateResults(db, ['A'])).resolves.toBeUndefined();
    expect(warn.mock.calls[0][0]).toMatch(/Could not invalidate cached results \(A\)/);
    warn.mockRestore();
    await cache.close();
  });
});

describe('serialisation for Redis', () => {
  it('keeps Maps (nested) and Dates', () => {
    const value = {
      tables: new Map([
        ['E10000016', { la: { total: { numerator: 3, denominator: 4 } }, districts: new Map([['E07000105', 1]]) }],
      ]),
      period: { startDate: new Date('2016-09-01T00:00:00.000Z'), label: null },
    };
    const back = decode<typeof value>(encode(value));
    expect(back).toEqual(value);
    expect(back.tables.get('E10000016')?.districts).toBeInstanceOf(Map);
    expect(back.period.startDate).toBeInstanceOf(Date);
  });
});

describe('indicator table declarations', () => {
  // The pilot's table lives in test/pilot/pilot.sql, not in the Prisma schema.
  const models = new Set<string>([...Object.values(Prisma.ModelName), 'ReadingPilotEnrolment']);
  const samplePeriod = (type: PeriodType) => {
    try {
      return parsePeriod(yearPeriodContaining(new Date(Date.UTC(2017, 0, 15)), type));
    } catch {
      return parsePeriod('2016/2017|AY');
    }
  };
  const indicators = [...allServices, readingPilot].flatMap((s) => s.indicators.map((d) => [s.key, d] as const));

  it.each(indicators.filter(([, d]) => d.facts).map(([s, d]) => [`${s} ${d.code}`, d] as const))(
    '%s lists every table its facts read',
    (_name, def: IndicatorDefinition) => {
      const sql = def.facts!(samplePeriod(def.periodType)).sql;
      const read = new Set([...sql.matchAll(/\b(?:FROM|JOIN)\s+"([A-Za-z]+)"/gi)].map((m) => m[1]));
      expect(read.size).toBeGreaterThan(0);
      for (const t of read) expect(models.has(t), `${t} is a table`).toBe(true);
      const declared = factsTables(def);
      expect(declared).not.toBe('ALL');
      const missing = [...read].filter((t) => !(declared as readonly string[]).includes(t));
      expect(missing, `tables: [...] of ${def.code} should also list`).toEqual([]);
      for (const t of ENGINE_TABLES) expect(declared).toContain(t);
    },
  );

  const cohorts = [...allServices, readingPilot].flatMap((s) =>
    s.cohorts.map((c) => [`${s.key} ${c.key}`, c] as const),
  );
  it.each(cohorts)('cohort %s lists every table its members read', (_name, cohort: CohortDefinition) => {
    expect(cohort.tables).toBeDefined();
    const sql = cohort.members(samplePeriod(cohort.periodType)).sql;
    const read = new Set([...sql.matchAll(/\b(?:FROM|JOIN)\s+"([A-Za-z]+)"/gi)].map((m) => m[1]));
    expect(read.size).toBeGreaterThan(0);
    for (const t of read) expect(models.has(t), `${t} is a table`).toBe(true);
    const declared = [...cohort.tables!, ...ENGINE_TABLES];
    expect(
      [...read].filter((t) => !declared.includes(t)),
      `tables: [...] of ${cohort.key} should also list`,
    ).toEqual([]);
  });
});
