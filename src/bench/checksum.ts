// Row counts and content checksums of every data table of a store: the generator's determinism check
// (same seed and scale, same checksums) and a quick way to tell two generated stores apart.
import { UNCOUNTED } from '../core/reporting/snapshots.js';
import type { Database } from '../db.js';

/**
 * Tables left out: the bookkeeping ones, which carry no write counter (migrations, provenance rows with
 * their timestamps, access control, the audit log, the write counters themselves and the materialised
 * figures stamped with them), and the store's own cell key secret (drawn at random by its migration, not
 * generated: two stores generated from the same seed hold different secrets); everything else is data.
 */
const STORE_SECRET_TABLES = ['CellKeySecret'];
const SKIPPED: ReadonlySet<string> = new Set([...UNCOUNTED, ...STORE_SECRET_TABLES]);

export interface TableChecksum {
  rows: number;
  /** md5 over the md5 of every row's text, sorted: independent of physical order. */
  md5: string;
}

export async function dataTables(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.name).filter((n) => !SKIPPED.has(n));
}

export async function tableChecksums(db: Database): Promise<Record<string, TableChecksum>> {
  const out: Record<string, TableChecksum> = {};
  for (const table of await dataTables(db)) {
    const [r] = await db.prisma.$queryRawUnsafe<{ n: number; sum: string }[]>(
      `SELECT COUNT(*)::int AS n, COALESCE(md5(string_agg(h, '' ORDER BY h)), '') AS sum
       FROM (SELECT md5(t::text) AS h FROM "${table.replace(/"/g, '""')}" t) x`,
    );
    out[table] = { rows: Number(r.n), md5: r.sum };
  }
  return out;
}
