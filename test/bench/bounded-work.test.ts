// Issue 15's bench steps: 20 different disproportionality requests, the largest export within the limit,
// and their place in bench/results.json (optional, so earlier files still read).
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { disproportionalityDocument, disproportionalityRequests, largestExport } from '../../src/bench/bounded-work.js';
import { BenchResultsSchema } from '../../src/bench/results.js';
import { KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';

const FY = Array.from({ length: 8 }, (_, i) => `${2012 + i}/${2013 + i}|FY`);

describe('concurrent disproportionality requests', () => {
  it('are 20 different requests, each over every period asked', () => {
    const requests = disproportionalityRequests(20, FY);
    expect(requests).toHaveLength(20);
    expect(new Set(requests.map((r) => JSON.stringify(r.variables))).size).toBe(20);
    expect(requests[0].variables).toMatchObject({ area: KENT, p1: FY[0], p8: FY[7] });
    expect(requests[19].variables.area).toBe(KENT_DISTRICTS[0].code);
    const doc = parse(disproportionalityDocument(FY.length));
    expect(JSON.stringify(doc).match(/"value":"disproportionality"/g)).toHaveLength(8);
  });
});

describe('the largest export', () => {
  const catalogue = {
    indicators: [
      ...Array.from({ length: 10 }, (_, i) => ({ code: `F${i}`, periodType: 'FINANCIAL_YEAR' })),
      ...Array.from({ length: 9 }, (_, i) => ({ code: `A${i}`, periodType: 'ACADEMIC_YEAR' })),
      ...Array.from({ length: 2 }, (_, i) => ({ code: `C${i}`, periodType: 'CALENDAR_YEAR' })),
    ],
    areas: [
      { code: 'E92000001', level: 'NATIONAL' },
      ...KENT_DISTRICTS.map((d) => ({ code: d.code, level: 'DISTRICT' })),
      { code: KENT, level: 'LOCAL_AUTHORITY' },
      ...Array.from({ length: 10 }, (_, i) => ({ code: `E1000000${i}`, level: 'LOCAL_AUTHORITY' })),
      ...Array.from({ length: 5 }, (_, i) => ({ code: `E1200000${i}`, level: 'REGIONAL' })),
    ],
    periods: [
      ...FY.map((code, i) => ({ code, type: 'FINANCIAL_YEAR', start: `${2012 + i}-04-01` })),
      ...Array.from({ length: 7 }, (_, i) => ({
        code: `${2012 + i}/${2013 + i}|AY`,
        type: 'ACADEMIC_YEAR',
        start: `${2012 + i}-09-01`,
      })),
      ...Array.from({ length: 84 }, (_, i) => ({ code: `M${i}`, type: 'MONTH', start: `2012-01-${i}` })),
    ],
  };

  it('asks for as many cells as the limit allows, Kent and its districts first, periods of the indicators’ types', () => {
    const req = largestExport(catalogue, 5000);
    expect(req.cells).toBe(5000);
    expect(req.codes.length * req.areas.length * req.periods.length).toBe(5000);
    expect(req.areas.slice(0, 13)).toEqual([KENT, ...KENT_DISTRICTS.map((d) => d.code).sort()]);
    expect(req.periods.slice(0, 8)).toEqual(FY);
    expect(req.codes.slice(0, 10).every((c) => c.startsWith('F'))).toBe(true);
  });

  it('stays within smaller limits and store sizes', () => {
    expect(largestExport(catalogue, 100).cells).toBe(100);
    expect(largestExport(catalogue, 7).cells).toBe(7);
    const small = {
      ...catalogue,
      indicators: catalogue.indicators.slice(0, 1),
      periods: catalogue.periods.slice(0, 2),
    };
    expect(largestExport(small, 5000)).toMatchObject({ cells: 1 * 29 * 2, codes: ['F0'] });
  });
});

describe('bench/results.json with issue 15’s measurements', () => {
  const operation = (name: string) => ({
    name,
    p50Ms: 10,
    p95Ms: 20,
    p99Ms: 30,
    sqlStatements: 4,
    floorP50Ms: 8,
    ratioToFloor: 1.25,
    rps10: 100,
    rps50: 110,
  });
  const base = {
    db: 'postgres',
    scale: 1,
    machine: '2 x CPU',
    operations: ['scorecard', 'scorecard-districts', 'service-breakdowns', 'cohort-overlap', 'records-page'].map(
      operation,
    ),
    helloWorldRps: 5000,
    import: { format: 'core/people', rows: 1_000_000, rowsPerSecond: 25_000 },
  };
  const burst = {
    requests: 20,
    statuses: { '200': 20 },
    count503: 0,
    withErrors: 0,
    p50Ms: 100,
    p95Ms: 200,
    maxMs: 210,
    wallMs: 220,
  };
  const run = { status: 200, bytes: 1000, lines: 10, firstByteMs: 5, lastByteMs: 50, complete: true };
  const full = {
    ...base,
    disproportionality: {
      role: 'PUBLIC',
      concurrency: 20,
      periods: 8,
      cold: burst,
      warm: burst,
      healthz: { probes: 4, non200: 0, maxMs: 3 },
    },
    export: { role: 'PUBLIC', maxCells: 5000, cells: 5000, codes: 20, areas: 25, periods: 10, cold: run, warm: run },
  };

  it('accepts them, null (skipped) or absent (earlier files)', () => {
    expect(BenchResultsSchema.safeParse(full).success).toBe(true);
    expect(BenchResultsSchema.safeParse({ ...base, disproportionality: null, export: null }).success).toBe(true);
    expect(BenchResultsSchema.safeParse(base).success).toBe(true);
  });

  it('refuses them without the 503 count or with keys of their own', () => {
    const { count503: _, ...no503 } = burst;
    expect(
      BenchResultsSchema.safeParse({ ...full, disproportionality: { ...full.disproportionality, cold: no503 } })
        .success,
    ).toBe(false);
    expect(BenchResultsSchema.safeParse({ ...full, export: { ...full.export, extra: 1 } }).success).toBe(false);
  });
});
