// Batched writes: one INSERT … SELECT FROM unnest(arrays) statement per batch instead of a row at a time.
// Used by the demo seed, the benchmark generator and the import path (PGlite and PostgreSQL alike).
import type { Prisma } from '../generated/prisma/client.js';
import { iso } from './dates.js';

/** A column of a bulk write: its name and PostgreSQL type (the array element type for unnest). */
export interface BulkColumn<Row> {
  name: string;
  type: 'text' | 'int' | 'float8' | 'bool' | 'date' | 'timestamptz' | string;
  get: (row: Row) => unknown;
}

type Executor = Pick<Prisma.TransactionClient, '$executeRawUnsafe'>;

/**
 * A table's columns, declared once per table (in the service's tables.ts) and written by both its import
 * (src/core/ingest/upsert.ts upserts on `key`) and its seed (insertTable).
 */
export interface TableSpec<Row> {
  table: string;
  /**
   * The natural key: these columns must carry a primary key or unique constraint (an import's conflict
   * target), and an import batch may hold each key once (the framework refuses a file that repeats a key).
   */
  key: BulkColumn<Row>[];
  /** Every other column written. */
  values: BulkColumn<Row>[];
}

/**
 * Declares a table whose columns are its rows' own fields of the same names: `columns` gives each column's
 * PostgreSQL type (a quoted enum type for enum columns, e.g. '"Sex"'), `key` the natural key's columns.
 */
export function declareTable<Row>(
  table: string,
  key: (keyof Row & string)[],
  columns: { [Column in keyof Row & string]?: BulkColumn<Row>['type'] },
): TableSpec<Row> {
  const column = (name: keyof Row & string): BulkColumn<Row> => {
    const type = columns[name];
    if (!type) throw new Error(`${table}: key column ${name} has no type`);
    return { name, type, get: (row) => row[name] };
  };
  const names = Object.keys(columns) as (keyof Row & string)[];
  return { table, key: key.map(column), values: names.filter((n) => !key.includes(n)).map(column) };
}

/** Inserts rows into a declared table, every column (bulkInsert): the seed's write. */
export function insertTable<Row>(
  db: Executor,
  spec: TableSpec<Row>,
  rows: Row[],
  options?: { batchSize?: number; conflict?: string },
): Promise<number> {
  return bulkInsert(db, spec.table, [...spec.key, ...spec.values], rows, options);
}

/**
 * Inserts rows in batches. `conflict` is appended verbatim (e.g. `ON CONFLICT DO NOTHING`, or an
 * upsert clause). Returns the number of rows the database reports as written.
 */
export async function bulkInsert<Row>(
  db: Executor,
  table: string,
  columns: BulkColumn<Row>[],
  rows: Row[],
  { batchSize = 10_000, conflict = '' }: { batchSize?: number; conflict?: string } = {},
): Promise<number> {
  let written = 0;
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const selects = columns.map((c, i) => `$${i + 1}::text::${c.type}[]`).join(', ');
  // Enum columns take the enum's own array type, e.g. type '"Sex"'.
  const sql = `INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${selects}) AS t(${names}) ${conflict}`;
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    // Driver adapters do not bind JS arrays as PostgreSQL arrays: send array literals as text.
    const arrays = columns.map((c) => arrayLiteral(batch.map((r) => normalise(c.get(r), c.type))));
    written += await db.$executeRawUnsafe(sql, ...arrays);
  }
  return written;
}

function normalise(v: unknown, type: string): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return type === 'date' ? iso(v) : v.toISOString();
  return v;
}

/** PostgreSQL array literal: `{"a","b\\"c",NULL}`. */
export function arrayLiteral(values: unknown[]): string {
  const parts = values.map((v) => {
    if (v === null) return 'NULL';
    if (typeof v === 'boolean') return v ? 't' : 'f';
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new RangeError(`Cannot store ${v}`);
      return String(v);
    }
    return `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${parts.join(',')}}`;
}
