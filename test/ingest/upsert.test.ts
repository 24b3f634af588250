// The shared batched writer (src/core/ingest/upsert.ts) on its own, on a table of every kind of value: one
// statement per batch must count inserted, updated and unchanged rows exactly (also across batches, and for
// rows this transaction wrote before), store awkward text as given, and let a row point at a row new in the
// same batch. PGlite, or PostgreSQL with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral } from '../../src/core/bulk.js';
import { type TableSpec, upsertRows, WRITE_BATCH } from '../../src/core/ingest/index.js';
import { columnArray } from '../../src/core/ingest/upsert.js';
import type { Database } from '../../src/db.js';
import { createTestDatabase } from '../harness.js';

interface Row {
  code: string;
  name: string | null;
  amount: number | null;
  day: Date | null;
  flag: boolean | null;
  parent: string | null;
}

const SPEC: TableSpec<Row> = {
  table: 'UpsertTest',
  key: [{ name: 'code', type: 'text', get: (r) => r.code }],
  values: [
    { name: 'name', type: 'text', get: (r) => r.name },
    { name: 'amount', type: 'float8', get: (r) => r.amount },
    { name: 'day', type: 'date', get: (r) => r.day },
    { name: 'flag', type: 'bool', get: (r) => r.flag },
    { name: 'parent', type: 'text', get: (r) => r.parent },
  ],
};

const KEY_ONLY: TableSpec<{ a: string; b: number }> = {
  table: 'UpsertKeyOnly',
  key: [
    { name: 'a', type: 'text', get: (r) => r.a },
    { name: 'b', type: 'int', get: (r) => r.b },
  ],
  values: [],
};

const AWKWARD = [
  '',
  'NULL',
  'say "hi"',
  'back\\slash',
  '\\"',
  'a,b',
  '{braces}',
  '  spaced  ',
  'é ü 😀',
  'line\nbreak',
];

const row = (code: string, over: Partial<Row> = {}): Row => ({
  code,
  name: `name ${code}`,
  amount: 0.1 + 0.2,
  day: new Date('2024-02-29T00:00:00Z'),
  flag: true,
  parent: null,
  ...over,
});

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase([
    `CREATE TABLE "UpsertTest" (code text PRIMARY KEY, name text, amount float8, day date, flag boolean,
       parent text REFERENCES "UpsertTest"(code))`,
    'CREATE TABLE "UpsertKeyOnly" (a text, b int, PRIMARY KEY (a, b))',
  ]);
});
afterAll(() => db.close());

const write = <R>(spec: TableSpec<R>, rows: R[]) => db.prisma.$transaction((tx) => upsertRows(tx, spec, rows));
const stored = () =>
  db.prisma.$queryRawUnsafe<Row[]>('SELECT code, name, amount, day, flag, parent FROM "UpsertTest" ORDER BY code');

describe('upsertRows', () => {
  it('inserts, then leaves identical rows alone, then updates only what changed', async () => {
    const rows = [
      ...AWKWARD.map((name, i) => row(`A${i}`, { name })),
      row('B0', { name: null, amount: null, day: null, flag: null }),
      row('B1', { amount: -1.5e-7, flag: false }),
      // A child listed before its parent, both new in this batch.
      row('C0', { parent: 'C1' }),
      row('C1'),
    ];
    expect(await write(SPEC, rows)).toEqual({ inserted: rows.length, updated: 0, unchanged: 0 });
    const sorted = [...rows].sort((a, b) => (a.code < b.code ? -1 : 1));
    expect(await stored()).toEqual(sorted);

    expect(await write(SPEC, rows)).toEqual({ inserted: 0, updated: 0, unchanged: rows.length });

    const changed = rows.map((r) =>
      r.code === 'A1' ? { ...r, name: 'null' } : r.code === 'B0' ? { ...r, amount: 0 } : r,
    );
    changed.push(row('D0', { parent: 'A1' }));
    expect(await write(SPEC, changed)).toEqual({ inserted: 1, updated: 2, unchanged: rows.length - 2 });
    expect((await stored()).find((r) => r.code === 'A1')?.name).toBe('null');
  });

  it('counts rows this transaction wrote before as updated, not inserted', async () => {
    const counts = await db.prisma.$transaction(async (tx) => {
      const first = await upsertRows(tx, SPEC, [row('E0'), row('A0', { name: 'changed once' })]);
      await tx.$executeRawUnsafe(`UPDATE "UpsertTest" SET flag = NOT flag WHERE code = 'A2'`);
      const second = await upsertRows(tx, SPEC, [
        row('E0', { name: 'again' }),
        row('A0', { name: 'changed twice' }),
        row('A2', { name: AWKWARD[2] }),
        row('E1'),
      ]);
      return { first, second };
    });
    expect(counts.first).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
    expect(counts.second).toEqual({ inserted: 1, updated: 3, unchanged: 0 });
  });

  it('counts across batches of WRITE_BATCH rows in one call', async () => {
    const n = WRITE_BATCH + 2_500;
    const rows = Array.from({ length: n }, (_, i) => row(`F${String(i).padStart(6, '0')}`, { amount: i / 3 }));
    expect(await write(SPEC, rows)).toEqual({ inserted: n, updated: 0, unchanged: 0 });
    const changed = rows.map((r, i) => (i % 1_000 === 0 ? { ...r, amount: -i - 1 } : r));
    changed.push(row('G0'));
    expect(await write(SPEC, changed)).toEqual({ inserted: 1, updated: 13, unchanged: n - 13 });
  });

  it('writes a table that is all key: new rows inserted, existing ones unchanged', async () => {
    expect(await write(KEY_ONLY, [{ a: 'x', b: 1 }])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(
      await write(KEY_ONLY, [
        { a: 'x', b: 1 },
        { a: 'x', b: 2 },
      ]),
    ).toEqual({ inserted: 1, updated: 0, unchanged: 1 });
  });

  it('writes the same array literals as arrayLiteral', () => {
    const values: unknown[] = [...AWKWARD, 0, -0, 1.5, 1e21, true, false, null, undefined, 12n];
    const cells = values.map((v) => ({ v }));
    for (const type of ['text', 'date', 'timestamptz']) {
      const dated = [...cells, { v: new Date('2020-02-03T04:05:06.789Z') }];
      const normal = dated.map(({ v }) =>
        v === undefined ? null : v instanceof Date ? (type === 'date' ? '2020-02-03' : v.toISOString()) : v,
      );
      expect(columnArray(dated, { name: 'v', type, get: (r) => r.v })).toBe(arrayLiteral(normal));
    }
    expect(() => columnArray([{ v: Number.NaN }], { name: 'v', type: 'float8', get: (r) => r.v })).toThrow(RangeError);
  });
});
