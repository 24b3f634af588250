// The check phase of an import: reference values looked up in batched queries (one per 10,000 values), then
// the format's own checks across rows or against the database. Run only on a file that read cleanly.
import type { Database } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { arrayLiteral } from '../bulk.js';
import type { ReadResult } from './read.js';
import type { RowErrors } from './row-errors.js';
import type { ImportFormat, ParsedRow } from './types.js';
import { WRITE_BATCH } from './upsert.js';

export async function checkRows(
  prisma: Database['prisma'],
  format: ImportFormat,
  read: ReadResult,
  errors: RowErrors,
): Promise<void> {
  for (const r of read.references) {
    for (const value of r.inFile) r.values.delete(value);
    const unknown = await missingValues(prisma, r.spec.table, r.spec.tableColumn, [...r.values.keys()]);
    for (const value of unknown) {
      for (const line of r.values.get(value) ?? []) {
        errors.add({
          line,
          column: r.spec.column,
          value,
          message: `unknown ${r.spec.column}: no ${r.spec.table} has ${r.spec.tableColumn} "${value}"${r.spec.alsoInFileColumn ? ` and no row of this file has ${r.spec.alsoInFileColumn} "${value}"` : ''}`,
        });
      }
    }
  }
  if (!errors.count && format.check) {
    const parsedRows: ParsedRow<unknown>[] = read.rows.map((row, i) => ({ line: read.rowLines[i], row }));
    for (const e of await format.check(prisma, parsedRows)) errors.add(e);
  }
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The values not present in table.column, asked in batches of 10,000 (one query each). */
async function missingValues(
  prisma: Pick<Prisma.TransactionClient, '$queryRawUnsafe'>,
  table: string,
  column: string,
  values: string[],
): Promise<string[]> {
  const found = new Set<string>();
  for (let i = 0; i < values.length; i += WRITE_BATCH) {
    const batch = values.slice(i, i + WRITE_BATCH);
    const rows = await prisma.$queryRawUnsafe<{ v: string }[]>(
      `SELECT ${q(column)}::text AS v FROM ${q(table)} WHERE ${q(column)} = ANY($1::text::text[])`,
      arrayLiteral(batch),
    );
    for (const r of rows) found.add(r.v);
  }
  return values.filter((v) => !found.has(v));
}
