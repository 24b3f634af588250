// The Import row that records each run (provenance), and the one-line summary of what a run wrote.
import type { createHash } from 'node:crypto';
import type { Database } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { digestOf } from './input.js';
import type { RowError, WriteCounts } from './types.js';

export type ImportStatus = 'SUCCEEDED' | 'FAILED' | 'DRY_RUN';

export interface ImportReport {
  /** The Import row recording this run. */
  importId: number | null;
  format: string;
  fileName: string;
  sha256: string;
  status: ImportStatus;
  dryRun: boolean;
  /** Data rows in the file (header excluded). */
  rows: number;
  /** Rows the format leaves out on purpose (e.g. an EES filter value the map skips). */
  skipped: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of other tables created on the way (periods, areas), by table. */
  created: Record<string, number>;
  /** Every error (the first MAX_ERROR_DETAILS), by line. */
  errors: RowError[];
  errorCount: number;
  startedAt: Date;
  finishedAt: Date;
  message: string;
}

export function summary(c: WriteCounts, dryRun: boolean): string {
  const created = Object.entries(c.created ?? {})
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${n} ${table}`);
  return (
    `${dryRun ? 'dry run, nothing written: would insert' : 'inserted'} ${c.inserted}, ${dryRun ? 'update' : 'updated'} ${c.updated}, unchanged ${c.unchanged}` +
    (created.length ? `; ${dryRun ? 'would create' : 'created'} ${created.join(', ')}` : '')
  );
}

/** The Import row of a run that wrote its data (created in the same transaction). */
export function importData(
  r: {
    rows: number;
    inserted: number;
    updated: number;
    unchanged: number;
    errorCount: number;
    message?: string;
    created?: Record<string, number>;
  },
  status: ImportStatus,
  dryRun: boolean,
  opts: { format: { name: string }; ranBy: string },
  fileName: string,
  startedAt: Date,
  hash: ReturnType<typeof createHash>,
): Prisma.ImportCreateInput {
  return {
    format: opts.format.name,
    fileName,
    sha256: digestOf(hash),
    rows: r.rows,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    errors: r.errorCount,
    status,
    dryRun,
    ranBy: opts.ranBy,
    startedAt,
    finishedAt: new Date(),
    message: r.message ?? summary(r, false),
  };
}

/** Writes the Import row of a run that wrote no data (failed or dry run) and returns the report. */
export async function recordRun(
  db: Database,
  report: Omit<ImportReport, 'importId'> & { importId: number | null },
  ranBy: string,
): Promise<ImportReport> {
  const row = await db.prisma.import.create({
    data: {
      format: report.format,
      fileName: report.fileName,
      sha256: report.sha256,
      rows: report.rows,
      inserted: report.inserted,
      updated: report.updated,
      unchanged: report.unchanged,
      errors: report.errorCount,
      status: report.status,
      dryRun: report.dryRun,
      ranBy,
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      message: report.message,
    },
  });
  return { ...report, importId: row.id };
}
