// The CSV export's bounds (issue #15, finding 4): a size limit answered 400 naming it, a rate-limit charge
// by size, streaming that stops when the client disconnects, and the execution time limit. The engine's
// areaFigures is wrapped to count (and slow down) the figures the export computes, so "stopped" is measured
// as work not done rather than bytes not received.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServicePlugin } from '../../src/core/plugin.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import type { Database } from '../../src/db.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase, testApp } from '../harness.js';

const work = vi.hoisted(() => ({ calls: 0, delayMs: 0 }));
vi.mock('../../src/core/reporting/area-figures.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/core/reporting/area-figures.js')>();
  return {
    ...original,
    areaFigures: async (...args: Parameters<typeof original.areaFigures>) => {
      work.calls++;
      if (work.delayMs) await new Promise((r) => setTimeout(r, work.delayMs));
      return original.areaFigures(...args);
    },
  };
});

const SHARE: IndicatorDefinition = {
  code: 'TEST_LIMIT_SHARE',
  name: 'FSM share (test)',
  description: 'Share of children with characteristics who are FSM eligible.',
  unit: 'PERCENT',
  polarity: 'NO_JUDGEMENT',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  dimensions: ['SEX'],
  facts: (period) => Prisma.sql`
    SELECT pc."personId" AS person_id, p."districtCode" AS district_code,
           CASE WHEN pc.fsm THEN 1 ELSE 0 END::numeric AS numerator, 1::numeric AS denominator
    FROM "PersonCharacteristic" pc JOIN "Person" p ON p.id = pc."personId"
    WHERE pc."periodCode" = ${period.code}`,
};
const plugin: ServicePlugin = {
  key: 'exportLimitTest',
  slug: 'export-limit-test',
  title: 'Export limit test',
  register() {},
  indicators: [SHARE],
  cohorts: [],
  importers: [],
};
const PERIOD = encodeURIComponent('2016/2017|AY');
const PUBLIC = { role: 'PUBLIC' as const, services: [], name: 'public' };

let db: Database;
let areas: string[];
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db, [], 0.004);
  areas = (await db.prisma.area.findMany({ orderBy: { code: 'asc' } })).map((a) => a.code);
});
afterAll(() => db.close());

const exportPath = (codes: string[], areaCodes: string[]) =>
  `/export/indicators.csv?codes=${codes.join(',')}&area=${areaCodes.join(',')}&period=${PERIOD}`;

describe('GET /export/indicators.csv bounds', () => {
  it('refuses an export over CYPE_EXPORT_MAX_CELLS with 400 naming the limit, before computing anything', async () => {
    const app = testApp(db, { services: [plugin], access: { redisUrl: null, limits: { maxExportCells: 10 } } });
    work.calls = 0;
    // 4 codes × 3 areas × 1 period = 12 cells (codes may repeat: the count is what is asked for).
    const res = await app.fetch(exportPath(Array(4).fill(SHARE.code), areas.slice(0, 3)));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ limit: 'CYPE_EXPORT_MAX_CELLS' });
    expect(body.error).toContain('12 cells');
    expect(body.error).toContain('limit of 10');
    expect(work.calls).toBe(0);
    const ok = await app.fetch(exportPath([SHARE.code], areas.slice(0, 3)));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  it('refuses a NUL character in any parameter with 400 naming it', async () => {
    const app = testApp(db, { services: [plugin], access: { redisUrl: null } });
    const res = await app.fetch(`/export/indicators.csv?codes=${SHARE.code}&area=E10000016&period=${PERIOD}%00`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ argument: 'period' });
    expect(body.error).toContain('NUL character');
  });

  it('counts an export against the rate limit by its size', async () => {
    const app = testApp(db, {
      services: [plugin],
      viewer: PUBLIC,
      access: { redisUrl: null, limits: { ratePerWindow: { PUBLIC: 10 }, exportCellsPerRequest: 2 } },
    });
    // 1 code × 12 areas = 12 cells = 6 requests' worth.
    const big = exportPath([SHARE.code], areas.slice(0, 12));
    expect(areas.length).toBeGreaterThanOrEqual(12);
    const first = await app.fetch(big);
    expect(first.status).toBe(200);
    await first.text();
    const second = await app.fetch(big);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await second.json()).errors[0].message).toContain('12 cells counts as 6');

    // The same allowance spent on one-cell exports lasts ten requests.
    const small = testApp(db, {
      services: [plugin],
      viewer: PUBLIC,
      access: { redisUrl: null, limits: { ratePerWindow: { PUBLIC: 10 }, exportCellsPerRequest: 2 } },
    });
    for (let i = 0; i < 10; i++) {
      const r = await small.fetch(exportPath([SHARE.code], areas.slice(0, 1)));
      expect(r.status).toBe(200);
      await r.text();
    }
    expect((await small.fetch(exportPath([SHARE.code], areas.slice(0, 1)))).status).toBe(429);
  });

  it('streams, and stops computing when the client disconnects', async () => {
    const app = testApp(db, { services: [plugin], access: { redisUrl: null } });
    work.calls = 0;
    work.delayMs = 50;
    try {
      const client = new AbortController();
      const res = await app.fetch(exportPath([SHARE.code], areas), { signal: client.signal });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const header = new TextDecoder().decode((await reader.read()).value);
      expect(header.startsWith('time_period,')).toBe(true);
      // At most one chunk is computed ahead of the reader.
      expect(work.calls).toBeLessThanOrEqual(1);
      await reader.read(); // the first area
      const atAbort = work.calls;
      expect(atAbort).toBeLessThanOrEqual(2);
      client.abort();
      await new Promise((r) => setTimeout(r, 500));
      expect(work.calls).toBeLessThanOrEqual(atAbort + 1);
      expect(areas.length).toBeGreaterThan(atAbort + 5);
      await expect(reader.read()).rejects.toThrow();
    } finally {
      work.delayMs = 0;
    }
  });

  it('stops at the execution time limit and cuts the response short', async () => {
    const app = testApp(db, { services: [plugin], access: { redisUrl: null, limits: { executionTimeoutMs: 300 } } });
    work.calls = 0;
    work.delayMs = 100;
    try {
      const res = await app.fetch(exportPath([SHARE.code], areas));
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow(/time limit of 300 ms/);
      const atLimit = work.calls;
      expect(atLimit).toBeLessThan(areas.length);
      await new Promise((r) => setTimeout(r, 300));
      expect(work.calls).toBe(atLimit);
    } finally {
      work.delayMs = 0;
    }
  });
});
