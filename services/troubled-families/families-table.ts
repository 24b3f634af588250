// The TroubledFamily table's own writers, the one troubled families table a declaration (tables.ts) cannot
// serve: a family's headline criteria are an enum array per row, which unnest would flatten, so they travel
// as `A|B` text and are split in SQL. One statement per 10,000 rows, like bulkInsert; used by the seed and the imports.
import { arrayLiteral } from '../../src/core/bulk.js';
import { iso } from '../../src/core/dates.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

type Executor = Pick<Prisma.TransactionClient, '$executeRawUnsafe' | '$queryRawUnsafe'>;

export interface FamilyWrite {
  id: string;
  districtCode: string;
  attachedOn: Date;
  criteria: string[];
}

function familiesSelect(): string {
  return `SELECT id, district, attached, string_to_array(criteria, '|')::"HeadlineCriterion"[]
    FROM unnest($1::text::text[], $2::text::text[], $3::text::date[], $4::text::text[]) AS t(id, district, attached, criteria)`;
}

function familyArrays(rows: FamilyWrite[]): string[] {
  return [
    arrayLiteral(rows.map((r) => r.id)),
    arrayLiteral(rows.map((r) => r.districtCode)),
    arrayLiteral(rows.map((r) => iso(r.attachedOn))),
    arrayLiteral(rows.map((r) => r.criteria.join('|'))),
  ];
}

/** Inserts families (the seed: no conflicts expected). Returns the number written. */
export async function insertFamilies(db: Executor, rows: FamilyWrite[], batchSize = 10_000): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    written += await db.$executeRawUnsafe(
      `INSERT INTO "TroubledFamily" ("id", "districtCode", "attachedOn", "criteria") ${familiesSelect()}`,
      ...familyArrays(batch),
    );
  }
  return written;
}

/**
 * Upserts families on their id, reporting how many were new, changed or already identical (an
 * unchanged row is not rewritten: the WHERE on the update skips it).
 */
export async function upsertFamilies(
  db: Executor,
  rows: FamilyWrite[],
  batchSize = 10_000,
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    const result = await db.$queryRawUnsafe<{ inserted: boolean }[]>(
      `INSERT INTO "TroubledFamily" AS f ("id", "districtCode", "attachedOn", "criteria") ${familiesSelect()}
       ON CONFLICT ("id") DO UPDATE SET "districtCode" = EXCLUDED."districtCode", "attachedOn" = EXCLUDED."attachedOn",
         "criteria" = EXCLUDED."criteria"
       WHERE (f."districtCode", f."attachedOn", f."criteria") IS DISTINCT FROM
             (EXCLUDED."districtCode", EXCLUDED."attachedOn", EXCLUDED."criteria")
       RETURNING (xmax = 0) AS inserted`,
      ...familyArrays(batch),
    );
    const ins = result.filter((r) => r.inserted).length;
    inserted += ins;
    updated += result.length - ins;
  }
  return { inserted, updated, unchanged: rows.length - inserted - updated };
}
