// The result cache as a unit (src/core/reporting/cache.ts): which writes (counters) reach which entries,
// one state per request, one database's entries never another's, the memory bound, concurrent misses
// computed once, errors never kept, Redis down = served from this process (never stale),
// the serialisation of Maps and Dates; and every indicator's and cohort's `tables` naming each table its SQL reads.
import { describe, expect, it } from 'vitest';
import { allServices } from '../../services/index.js';
import { type PeriodType, parsePeriod, yearPeriodContaining } from '../../src/core/period-codes.js';
import type { CohortDefinition } from '../../src/core/plugin.js';
import {
  createResultCache,
  decode,
  ENGINE_TABLES,
  encode,
  factsTables,
  type StoreCounters,
} from '../../src/core/reporting/cache.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
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

/** A database's write counters, changed by hand: what the trigger does on every write. */
function store(identity = 'db1') {
  const tables = new Map<string, string>();
  let reads = 0;
  return {
    read: async (): Promise<StoreCounters> => {
      reads++;
      return { identity, tables: new Map(tables) };
    },
    write(...names: string[]) {
      for (const t of names) tables.set(t, String(Number(tables.get(t) ?? 0) + 1));
    },
    reads: () => reads,
  };
}

const counters = store();

async function read(
  cache: ReturnType<typeof createResultCache>,
  load: (k: readonly string[]) => Promise<(string | Error)[]>,
  tables: Record<string, readonly string[] | 'ALL'>,
  keys: string[],
  from = counters,
) {
  return cache.forRequest(from.read).batch('t', (k) => tables[k], load)(keys);
}

describe('keys from the write counters', () => {
  const tables = { a: ['A'], ab: ['A', 'B'], c: ['C'], any: 'ALL' } as const;

  it('a write reaches the entries reading its table, and entries of unknown tables, only', async () => {
    const cache = createResultCache({ redisUrl: null });
    const db = store();
    const { calls, load } = counting();
    const keys = Object.keys(tables);
    expect(await read(cache, load, tables, keys, db)).toEqual(['a#1', 'ab#1', 'c#1', 'any#1']);
    expect(await read(cache, load, tables, keys, db)).toEqual(['a#1', 'ab#1', 'c#1', 'any#1']);
    db.write('B');
    expect(await read(cache, load, tables, keys, db)).toEqual(['a#1', 'ab#2', 'c#1', 'any#2']);
    expect(calls.at(-1)).toEqual(['ab', 'any']);
    db.write('A', 'C');
    expect(await read(cache, load, tables, keys, db)).toEqual(['a#3', 'ab#3', 'c#3', 'any#3']);
  });

  it('gives one request one state, read once: a write during a request shows from the next request on', async () => {
    const cache = createResultCache({ redisUrl: null });
    const db = store();
    const { load } = counting();
    const view = cache.forRequest(db.read);
    expect(await view.batch('t', () => ['A'], load)(['x'])).toEqual(['x#1']);
    db.write('A');
    expect(await view.batch('t', () => ['A'], load)(['x'])).toEqual(['x#1']);
    expect(
      await view.once(
        'o',
        'y',
        ['A'],
        async () => 'y',
        () => true,
      ),
    ).toBe('y');
    expect(db.reads()).toBe(1);
    expect(await view.tableVersions()).toEqual(new Map());
    expect(await cache.forRequest(db.read).batch('t', () => ['A'], load)(['x'])).toEqual(['x#2']);
  });

  it('never gives one database the entries of another whose counters are equal', async () => {
    const cache = createResultCache({ redisUrl: null });
    const { load } = counting();
    expect(await read(cache, load, { k: ['A'] }, ['k'], store('one'))).toEqual(['k#1']);
    expect(await read(cache, load, { k: ['A'] }, ['k'], store('two'))).toEqual(['k#2']);
    expect(await read(cache, load, { k: ['A'] }, ['k'], store('one'))).toEqual(['k#1']);
  });

  it('runs a request uncached when its counters cannot be read', async () => {
    const cache = createResultCache({ redisUrl: null });
    const { calls, load } = counting();
    const failing = async (): Promise<StoreCounters> => {
      throw new Error('the database does not answer');
    };
    for (let i = 0; i < 2; i++) await cache.forRequest(failing).batch('t', () => ['A'], load)(['k']);
    expect(calls).toHaveLength(2);
    expect(await cache.forRequest(failing).tableVersions()).toBeNull();
  });
});

describe('the in-process store', () => {
  it('stays within its memory bound, dropping the least recently used entries', async () => {
    const cache = createResultCache({ redisUrl: null, maxBytes: 1000 });
    const load = async (keys: readonly string[]) => keys.map(() => 'x'.repeat(200)); // 202 bytes as JSON
    const batch = cache.forRequest(counters.read).batch('t', () => ['A'], load);
    for (let i = 0; i < 20; i++) await batch([`k${i}`]);
    expect(cache.stats().bytes).toBeLessThanOrEqual(1000);
    expect(cache.stats().entries).toBe(4); // floor(1000 / 202)
    const { calls, load: again } = counting();
    await cache.forRequest(counters.read).batch('t', () => ['A'], again)(['k19', 'k0']);
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
      [1, 2, 3].map(() => cache.forRequest(counters.read).batch('t', () => ['A'], load)(['ok', 'bad'])),
    );
    expect(runs).toBe(1);
    for (const [ok, bad] of results) {
      expect(ok).toBe('ok');
      expect(bad).toBeInstanceOf(Error);
    }
    await cache.forRequest(counters.read).batch('t', () => ['A'], load)(['bad']);
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
  it('serves from this process, without waiting for Redis', async () => {
    const cache = createResultCache({ redisUrl: 'redis://127.0.0.1:1', prefix: 'cype:test:down:' });
    const { calls, load } = counting();
    await read(cache, load, { k: ['A'] }, ['k']);
    await read(cache, load, { k: ['A'] }, ['k']);
    expect(calls).toHaveLength(1);
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
