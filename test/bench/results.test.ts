// bench/results.json has exactly the shape issue 9 fixes; percentiles are nearest-rank.
import { describe, expect, it } from 'vitest';
import { OPERATIONS, operationRequests } from '../../src/bench/operations.js';
import { BenchResultsSchema, percentile } from '../../src/bench/results.js';

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

const valid = {
  db: 'postgres',
  scale: 1,
  machine: '2 x CPU, 24 GB, linux x64, Node v20, PostgreSQL 15',
  operations: ['scorecard', 'scorecard-districts', 'service-breakdowns', 'cohort-overlap', 'records-page'].map(
    operation,
  ),
  helloWorldRps: 5000,
  import: { format: 'core/people', rows: 1_000_000, rowsPerSecond: 25_000 },
};

describe('bench/results.json', () => {
  it('accepts the issue’s shape with the five operations in order', () => {
    expect(BenchResultsSchema.safeParse(valid).success).toBe(true);
    expect(OPERATIONS).toEqual([
      'scorecard',
      'scorecard-districts',
      'service-breakdowns',
      'cohort-overlap',
      'records-page',
    ]);
  });

  it('refuses extra or missing keys, other operation names or orders, and a bad db', () => {
    expect(BenchResultsSchema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    const { helloWorldRps: _, ...missing } = valid;
    expect(BenchResultsSchema.safeParse(missing).success).toBe(false);
    expect(BenchResultsSchema.safeParse({ ...valid, operations: [...valid.operations].reverse() }).success).toBe(false);
    expect(
      BenchResultsSchema.safeParse({
        ...valid,
        operations: valid.operations.map((o, i) => (i ? o : { ...o, coldMs: 1 })),
      }).success,
    ).toBe(false);
    expect(BenchResultsSchema.safeParse({ ...valid, operations: valid.operations.slice(1) }).success).toBe(false);
    expect(BenchResultsSchema.safeParse({ ...valid, db: 'mysql' }).success).toBe(false);
    expect(BenchResultsSchema.safeParse({ ...valid, import: { ...valid.import, file: 'x' } }).success).toBe(false);
  });

  it('takes nearest-rank percentiles', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 10)).toBe(1);
    expect(percentile([1.234], 99)).toBe(1.2);
  });

  it('has a document for every operation, and records-page asks for the next page with the cursor', () => {
    for (const name of OPERATIONS) expect(operationRequests(name)[0].query).toMatch(/^query Bench/m);
    const [first, second] = operationRequests('records-page', 'CURSOR');
    expect(first.variables.after).toBeNull();
    expect(second.variables.after).toBe('CURSOR');
    const districts = operationRequests('scorecard-districts')[0].variables;
    expect(Object.keys(districts).filter((k) => /^d\d+$/.test(k))).toHaveLength(12);
  });
});
