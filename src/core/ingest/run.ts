// The import framework: one call runs a CSV file through a format, from bytes to provenance.
// Phases: read (streaming parse, header check, per-row zod validation, duplicate keys), check (reference
// look-ups in batched queries, the format's own cross-row checks), write (ONE transaction, batched upserts,
// the Import row committed with the data). Any error anywhere means nothing is written but an Import row
// saying FAILED; a dry run does the whole write and rolls it back, so its counts are exact.
// Each phase has its own file: input.ts (bytes, hash), read.ts, check.ts, provenance.ts (the Import row);
// this one runs them in order, configures the format first and writes last.
import path from 'node:path';
import type { Database } from '../../db.js';
import type { ServicePlugin } from '../plugin.js';
import { syncIndicatorCatalogue } from '../reporting/catalogue.js';
import { checkRows } from './check.js';
import { databaseProblem } from './database-errors.js';
import { digestOf, type ImportInput, type OpenedInput, openInput } from './input.js';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits, importLimitsFromEnv } from './limits.js';
import { type ImportReport, type ImportStatus, importData, recordRun, summary } from './provenance.js';
import { readRows } from './read.js';
import { MAX_ERROR_DETAILS, RowErrors } from './row-errors.js';
import type { ImportFormat, WriteCounts } from './types.js';
import { addCounts, WRITE_BATCH } from './upsert.js';

export type { ImportReport, ImportStatus };
export { MAX_ERROR_DETAILS };

/** Long enough for a ten-million-row file on a slow disk; PostgreSQL rolls back if the process dies. */
export const IMPORT_TRANSACTION_TIMEOUT_MS = 6 * 3600_000;

export interface ImportProgress {
  phase: 'read' | 'check' | 'write';
  /** Data rows read so far (read), or rows written so far (write). */
  rows: number;
  /** Rows to write (write phase). */
  total?: number;
  bytes?: number;
  /** File size when known (a path), for a read progress bar. */
  totalBytes?: number;
}

export interface RunImportOptions {
  db: Database;
  format: ImportFormat;
  /** A file path, a Node stream or a web ReadableStream (an uploaded File's `stream()`). */
  input: ImportInput;
  /** Recorded in the Import row; defaults to the path's base name. */
  fileName?: string;
  dryRun?: boolean;
  /** Who ran it: `cype import (alice)`, `graphql (api key analyst-1)`. */
  ranBy: string;
  /** Values of the format's options (e.g. `map`: the mapping file's text). */
  options?: Record<string, string>;
  onProgress?: (p: ImportProgress) => void;
  /**
   * The enabled plugins: their indicator definitions are synced into the Indicator table first (as any
   * reporting read does), so targets and observations may name plugin indicators.
   */
  services?: ServicePlugin[];
  /** Overrides of the read limits (default: DEFAULT_IMPORT_LIMITS, then CYPE_IMPORT_* variables). */
  limits?: Partial<ImportLimits>;
}

/** A bad format option (e.g. an invalid map file): reported as an error on line 0 naming the option. */
export class ImportOptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImportOptionError';
  }
}

class DryRunRollback extends Error {
  constructor(readonly counts: WriteCounts) {
    super('dry run: rolled back');
  }
}

/** What every report of one run shares, fixed when it starts. */
interface Run {
  opts: RunImportOptions;
  db: Database;
  dryRun: boolean;
  fileName: string;
  startedAt: Date;
  input: OpenedInput;
  errors: RowErrors;
}

type Outcome = Omit<ImportReport, 'format' | 'fileName' | 'sha256' | 'startedAt' | 'finishedAt'>;

export async function runImport(opts: RunImportOptions): Promise<ImportReport> {
  const dryRun = opts.dryRun ?? false;
  const run: Run = {
    opts,
    db: opts.db,
    dryRun,
    startedAt: new Date(),
    fileName: opts.fileName ?? (typeof opts.input === 'string' ? path.basename(opts.input) : 'upload.csv'),
    input: openInput(opts.input),
    errors: new RowErrors(),
  };
  const { db, input, errors } = run;
  opts.onProgress?.({ phase: 'read', rows: 0, bytes: 0, totalBytes: input.totalBytes });
  // The catalogue follows the enabled plugins (a change is counted by the Indicator table's trigger).
  if (opts.services?.length) await syncIndicatorCatalogue(db.prisma, opts.services);
  const empty = nothingWritten(run);

  const format = await configureFormat(run);
  if (!format) {
    await input.drain();
    return finish(run, { ...empty, status: 'FAILED', ...errors.report, message: errors.details[0].message });
  }

  const limits = { ...DEFAULT_IMPORT_LIMITS, ...importLimitsFromEnv(), ...opts.limits };
  const read = await readRows(format, input, errors, limits, opts.onProgress);
  if (!read.stopped && read.header) {
    opts.onProgress?.({ phase: 'check', rows: read.dataRows });
    try {
      await checkRows(db.prisma, format, read, errors);
    } catch (e) {
      console.error(`Import of ${run.fileName} (${format.name}): the checks failed in the database:`, e);
      errors.add({
        line: 0,
        column: '',
        value: '',
        message: `the database could not check the file (${databaseProblem(e)}); nothing was written`,
      });
    }
  }

  const counted = { rows: read.dataRows, skipped: read.skipped };
  if (errors.count) {
    return finish(run, {
      ...empty,
      ...counted,
      status: 'FAILED',
      ...errors.report,
      message: `${errors.count} error${errors.count === 1 ? '' : 's'}; nothing written`,
    });
  }

  // Write order (parents first, when the format says), each row with its line.
  const order = read.rows.map((_, i) => i);
  if (format.order)
    order.sort((a, b) => (format.order as NonNullable<typeof format.order>)(read.rows[a], read.rows[b]));
  const written = await writeRows(
    run,
    format,
    order.map((i) => read.rows[i]),
    order.map((i) => read.rowLines[i]),
    counted,
  );
  if ('failed' in written) {
    return finish(run, {
      ...empty,
      ...counted,
      status: 'FAILED',
      ...errors.report,
      message: errors.details[0].message,
    });
  }
  const { counts, importId } = written;
  const result = { ...counts, ...counted, created: counts.created ?? {}, ...errors.report, dryRun };
  if (importId === null) {
    return finish(run, { ...result, importId, status: 'DRY_RUN', message: summary(counts, true) });
  }
  return {
    ...result,
    importId,
    status: 'SUCCEEDED',
    ...reportHeading(run),
    finishedAt: new Date(),
    message: summary(counts, false),
  };
}

const nothingWritten = (run: Run) => ({
  importId: null,
  dryRun: run.dryRun,
  rows: 0,
  skipped: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  created: {},
});

const reportHeading = (run: Run) => ({
  format: run.opts.format.name,
  fileName: run.fileName,
  sha256: digestOf(run.input.hash),
  startedAt: run.startedAt,
});

/** The report of a run that wrote no data, recorded as its Import row. */
function finish(run: Run, outcome: Outcome): Promise<ImportReport> {
  return recordRun(
    run.db,
    {
      ...outcome,
      ...reportHeading(run),
      finishedAt: new Date(),
      errors: [...outcome.errors].sort((a, b) => a.line - b.line),
    },
    run.opts.ranBy,
  );
}

/**
 * The format configured by its options (a format configured by a mapping file cannot know its columns
 * before), or undefined after reporting a missing or bad option as an error on line 0.
 */
async function configureFormat(run: Run): Promise<ImportFormat | undefined> {
  const { opts, errors } = run;
  let format = opts.format;
  if (!format.options?.length && !format.configure) return format;
  const options = opts.options ?? {};
  for (const o of format.options ?? []) {
    if (o.required && !options[o.name]) {
      errors.add({
        line: 0,
        column: o.name,
        value: '',
        message: `${format.name} needs the option ${o.name}: ${o.description}`,
      });
    }
  }
  if (!errors.count && format.configure) {
    try {
      format = await format.configure(options, run.db.prisma);
    } catch (e) {
      if (!(e instanceof ImportOptionError)) throw e;
      errors.add({ line: 0, column: e.option, value: '', message: e.message });
    }
  }
  return errors.count ? undefined : format;
}

/**
 * The write phase: ONE transaction, batched upserts, the Import row committed with the data (a dry run
 * rolls it all back, so its counts are exact). A refused write is reported as an error on line 0.
 */
async function writeRows(
  run: Run,
  format: ImportFormat,
  ordered: unknown[],
  lines: number[],
  counted: { rows: number; skipped: number },
): Promise<{ counts: WriteCounts; importId: number | null } | { failed: true }> {
  const { opts } = run;
  let counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
  let importId: number | null = null;
  let batchLines: number[] = [];
  try {
    await run.db.prisma.$transaction(
      async (tx) => {
        for (let i = 0; i < ordered.length; i += WRITE_BATCH) {
          opts.onProgress?.({ phase: 'write', rows: i, total: ordered.length });
          batchLines = lines.slice(i, i + WRITE_BATCH);
          counts = addCounts(counts, await format.write(tx, ordered.slice(i, i + WRITE_BATCH)));
        }
        batchLines = [];
        opts.onProgress?.({ phase: 'write', rows: ordered.length, total: ordered.length });
        if (run.dryRun) throw new DryRunRollback(counts);
        // Committed with the data, so a run killed before the commit leaves no trace at all.
        importId = (
          await tx.import.create({
            data: importData(
              { ...counts, ...counted, errorCount: 0 },
              'SUCCEEDED',
              false,
              opts,
              run.fileName,
              run.startedAt,
              run.input.hash,
            ),
          })
        ).id;
      },
      { timeout: IMPORT_TRANSACTION_TIMEOUT_MS, maxWait: 60_000 },
    );
  } catch (e) {
    if (!(e instanceof DryRunRollback)) {
      // The database's own text (and Prisma's, with the statement) stays in the server's log.
      console.error(`Import of ${run.fileName} (${format.name}) failed in the database:`, e);
      const first = batchLines.length ? Math.min(...batchLines) : 0;
      const last = batchLines.length ? Math.max(...batchLines) : 0;
      const where = !first ? '' : first === last ? `line ${first}: ` : `lines ${first} to ${last} (written together): `;
      run.errors.add({
        line: first,
        column: '',
        value: '',
        message: `${where}the database refused the write (${databaseProblem(e)}); nothing was written`,
      });
      return { failed: true };
    }
  }
  return { counts, importId };
}
