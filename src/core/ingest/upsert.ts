// The generic idempotent writer every format uses: rows are matched to stored rows by their natural key,
// changed rows are updated, new rows inserted, identical rows left alone and counted as unchanged. Two
// statements per batch of 10,000 rows (bulkInsert with ON CONFLICT DO NOTHING on the key, then an
// UPDATE … FROM unnest that only touches rows whose values differ), so the database does the comparing with its
// own types: no float or date formatting differences between JavaScript and PostgreSQL.
import type { Prisma } from '../../generated/prisma/client.js';
import { arrayLiteral, type BulkColumn, bulkInsert } from '../bulk.js';
import { periodRow } from '../seed.js';
import type { WriteCounts } from './types.js';

type Tx = Pick<Prisma.TransactionClient, '$executeRawUnsafe' | '$queryRawUnsafe'>;

/** How a format's rows map onto one table. */
export interface TableSpec<Row> {
  table: string;
  /** The natural key: these columns must carry a primary key or unique constraint (the conflict target). */
  key: BulkColumn<Row>[];
  /** Every other column the import sets. */
  values: BulkColumn<Row>[];
}

export const WRITE_BATCH = 10_000;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Upserts rows on their natural key and counts inserted, updated (values differed) and unchanged rows. */
export async function upsertRows<Row>(tx: Tx, spec: TableSpec<Row>, rows: Row[]): Promise<WriteCounts> {
  const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const all = [...spec.key, ...spec.values];
  const names = all.map((c) => q(c.name)).join(', ');
  const unnest = all.map((c, i) => `$${i + 1}::text::${c.type}[]`).join(', ');
  const match = spec.key.map((c) => `t.${q(c.name)} = i.${q(c.name)}`).join(' AND ');
  const update = spec.values.length
    ? `UPDATE ${q(spec.table)} AS t SET ${spec.values.map((c) => `${q(c.name)} = i.${q(c.name)}`).join(', ')} ` +
      `FROM unnest(${unnest}) AS i(${names}) WHERE ${match} AND (` +
      spec.values.map((c) => `t.${q(c.name)} IS DISTINCT FROM i.${q(c.name)}`).join(' OR ') +
      ')'
    : null;
  const conflict = `ON CONFLICT (${spec.key.map((c) => q(c.name)).join(', ')}) DO NOTHING`;
  for (let i = 0; i < rows.length; i += WRITE_BATCH) {
    const batch = rows.slice(i, i + WRITE_BATCH);
    // Insert first (skipping keys that exist), so an updated row may point at a row new in this batch; the
    // update then finds the new rows identical to themselves and leaves them out of its count.
    const inserted = await bulkInsert(tx, spec.table, all, batch, { batchSize: WRITE_BATCH, conflict });
    const updated = update
      ? await tx.$executeRawUnsafe(update, ...all.map((c) => arrayLiteral(batch.map((r) => cell(c.get(r), c.type)))))
      : 0;
    counts.updated += updated;
    counts.inserted += inserted;
    counts.unchanged += batch.length - updated - inserted;
  }
  return counts;
}

/** A format's `write` for one table: `write: tableWriter(spec)`. */
export function tableWriter<Row>(spec: TableSpec<Row>) {
  return (tx: Prisma.TransactionClient, rows: Row[]) => upsertRows(tx, spec, rows);
}

function cell(v: unknown, type: string): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return type === 'date' ? v.toISOString().slice(0, 10) : v.toISOString();
  return v;
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
