// The generic idempotent writer every format uses: rows are matched to stored rows by their natural key,
// changed rows are updated, new rows inserted, identical rows left alone and counted as unchanged. ONE
// statement per batch of 10,000 rows: INSERT … SELECT FROM unnest(one array per column) ON CONFLICT (key) DO
// UPDATE … WHERE the stored values are DISTINCT FROM the new ones, so the database does the comparing with its
// own types (no float or date formatting differences between JavaScript and PostgreSQL) and looks each key up
// once, in the key's index. RETURNING (xmax = 0) tells an inserted row from an updated one: ON CONFLICT locks
// the stored row before updating it, and the new version keeps that lock in xmax; rows not returned were left
// alone (though locked, like every row it matched, until the commit). Foreign keys are checked at the end of
// the statement, so a row may point at a row new in the same batch.
import type { Prisma } from '../../generated/prisma/client.js';
import { type BulkColumn, bulkInsert, type TableSpec } from '../bulk.js';
import { iso } from '../dates.js';
import { periodRow } from '../demo-population.js';
import type { WriteCounts } from './types.js';

type Tx = Pick<Prisma.TransactionClient, '$executeRawUnsafe' | '$queryRawUnsafe'>;

/** How a format's rows map onto one table: the table's own declaration (src/core/bulk.ts). */
export type { TableSpec };

export const WRITE_BATCH = 10_000;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The upsert statement of a table spec: parameters are one array literal per column, key columns first. */
function upsertSql(spec: TableSpec<unknown>): string {
  const all = [...spec.key, ...spec.values];
  const names = all.map((c) => q(c.name)).join(', ');
  // Enum columns take the enum's own array type, e.g. type '"Sex"'. Text parameters: driver adapters do not
  // bind JS arrays as PostgreSQL arrays.
  const unnest = all.map((c, i) => `$${i + 1}::text::${c.type}[]`).join(', ');
  const conflict = `ON CONFLICT (${spec.key.map((c) => q(c.name)).join(', ')}) DO ${
    spec.values.length
      ? `UPDATE SET ${spec.values.map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`).join(', ')} WHERE ` +
        spec.values.map((c) => `t.${q(c.name)} IS DISTINCT FROM EXCLUDED.${q(c.name)}`).join(' OR ')
      : 'NOTHING'
  }`;
  return (
    `WITH w AS (INSERT INTO ${q(spec.table)} AS t (${names}) SELECT * FROM unnest(${unnest}) AS i(${names}) ` +
    `${conflict} RETURNING (t.xmax = 0) AS inserted) ` +
    'SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM w'
  );
}

/** Upserts rows on their natural key and counts inserted, updated (values differed) and unchanged rows. */
export async function upsertRows<Row>(tx: Tx, spec: TableSpec<Row>, rows: Row[]): Promise<WriteCounts> {
  const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const all = [...spec.key, ...spec.values];
  const sql = upsertSql(spec as TableSpec<unknown>);
  for (let i = 0; i < rows.length; i += WRITE_BATCH) {
    const batch = rows.length <= WRITE_BATCH ? rows : rows.slice(i, i + WRITE_BATCH);
    const [r] = await tx.$queryRawUnsafe<{ inserted: number; updated: number }[]>(
      sql,
      ...all.map((c) => columnArray(batch, c)),
    );
    counts.inserted += r.inserted;
    counts.updated += r.updated;
    counts.unchanged += batch.length - r.inserted - r.updated;
  }
  return counts;
}

const NEEDS_ESCAPE = /["\\]/;

/**
 * One column of a batch as a PostgreSQL array literal (`{"a","b\\"c",NULL}`), built in one pass: the same
 * text as arrayLiteral (src/core/bulk.ts) of the normalised values, without an intermediate array per column.
 */
export function columnArray<Row>(rows: Row[], column: BulkColumn<Row>): string {
  const date = column.type === 'date';
  let out = '{';
  for (let i = 0; i < rows.length; i++) {
    if (i) out += ',';
    const v = column.get(rows[i]);
    if (v === undefined || v === null) out += 'NULL';
    else if (typeof v === 'string') out += `"${NEEDS_ESCAPE.test(v) ? escaped(v) : v}"`;
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new RangeError(`Cannot store ${v}`);
      out += String(v);
    } else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else if (v instanceof Date) out += `"${date ? iso(v) : v.toISOString()}"`;
    else {
      const s = String(v);
      out += `"${NEEDS_ESCAPE.test(s) ? escaped(s) : s}"`;
    }
  }
  return `${out}}`;
}

const escaped = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** A format's `write` for one table: `write: tableWriter(spec)`. */
export function tableWriter<Row>(spec: TableSpec<Row>) {
  return (tx: Prisma.TransactionClient, rows: Row[]) => upsertRows(tx, spec, rows);
}

/**
 * Creates the periods (codes already validated) the store does not have yet; returns how many it created.
 * Formats call it from `write` before rows that refer to those periods.
 */
export async function ensurePeriods(tx: Tx, codes: Iterable<string>): Promise<number> {
  const unique = [...new Set(codes)];
  if (!unique.length) return 0;
  return bulkInsert(
    tx,
    'Period',
    [
      { name: 'code', type: 'text', get: (p: Prisma.PeriodCreateManyInput) => p.code },
      { name: 'identifier', type: 'text', get: (p) => p.identifier },
      { name: 'type', type: 'text', get: (p) => p.type },
      { name: 'label', type: 'text', get: (p) => p.label },
      { name: 'startDate', type: 'date', get: (p) => p.startDate },
      { name: 'endDate', type: 'date', get: (p) => p.endDate },
    ],
    unique.map(periodRow),
    { conflict: 'ON CONFLICT ("code") DO NOTHING' },
  );
}

/** Adds write counts together (batches, or several tables of one format). */
export function addCounts(a: WriteCounts, b: WriteCounts): WriteCounts {
  const created = { ...(a.created ?? {}) };
  for (const [table, n] of Object.entries(b.created ?? {})) created[table] = (created[table] ?? 0) + n;
  return {
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    ...(Object.keys(created).length ? { created } : {}),
  };
}

/**
 * Upserts rows that name a period (`periodCode`), first creating any period the store does not have yet;
 * the report counts the periods created.
 */
export async function upsertPeriodRows<Row extends { periodCode: string }>(
  tx: Tx,
  spec: TableSpec<Row>,
  rows: Row[],
): Promise<WriteCounts> {
  const periods = await ensurePeriods(
    tx,
    rows.map((r) => r.periodCode),
  );
  const counts = await upsertRows(tx, spec, rows);
  return addCounts(counts, { inserted: 0, updated: 0, unchanged: 0, created: { Period: periods } });
}
