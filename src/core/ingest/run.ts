// The import framework: one call runs a CSV file through a format, from bytes to provenance.
// Phases: read (streaming parse, header check, per-row zod validation, duplicate keys), check (reference
// look-ups in batched queries, the format's own cross-row checks), write (ONE transaction, batched upserts,
// the Import row committed with the data). Any error anywhere means nothing is written but an Import row
// saying FAILED; a dry run does the whole write and rolls it back, so its counts are exact.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CsvError, Parser } from 'csv-parse';
import type { Database } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { arrayLiteral } from '../bulk.js';
import type { ServicePlugin } from '../plugin.js';
import { syncIndicatorCatalogue } from '../reporting/catalogue.js';
import type { ImportFormat, ParsedRow, RowError, WriteCounts } from './types.js';
import { addCounts, WRITE_BATCH } from './upsert.js';

export type ImportStatus = 'SUCCEEDED' | 'FAILED' | 'DRY_RUN';

/** At most this many errors are kept with their details; all are counted. */
export const MAX_ERROR_DETAILS = 10_000;
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

export interface RunImportOptions {
  db: Database;
  format: ImportFormat;
  /** A file path, a Node stream or a web ReadableStream (an uploaded File's `stream()`). */
  input: string | Readable | WebReadableStream<Uint8Array> | ReadableStream<Uint8Array>;
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

const PROGRESS_EVERY = 2_000;

/** A record and the line csv-parse had reached when it ended (its info.lines), without the rest of `info`. */
interface LineRecord {
  record: string[];
  lines: number;
}

/**
 * csv-parse's stream, each record paired with its line count. The `info` option does the same but copies the
 * whole info object for every record, which costs more than the parsing itself on a big file.
 */
class LineParser extends Parser {
  override push(record: unknown, encoding?: BufferEncoding): boolean {
    return super.push(
      record === null ? null : ({ record: record as string[], lines: this.info.lines } satisfies LineRecord),
      encoding,
    );
  }
}

/** The records csv-parse has ready after each wait: one batch per chunk of the file rather than one await per record. */
async function* recordBatches(parser: LineParser): AsyncGenerator<LineRecord[]> {
  for await (const first of parser) {
    const batch: LineRecord[] = [first];
    for (let r = parser.read(); r !== null; r = parser.read()) batch.push(r);
    yield batch;
  }
}

const hasLineBreak = (field: string) => field.includes('\n') || field.includes('\r');

export async function runImport(opts: RunImportOptions): Promise<ImportReport> {
  const startedAt = new Date();
  const { db, dryRun = false } = opts;
  const fileName = opts.fileName ?? (typeof opts.input === 'string' ? path.basename(opts.input) : 'upload.csv');
  const errors: RowError[] = [];
  let errorCount = 0;
  const addError = (e: RowError) => {
    errorCount++;
    if (errors.length < MAX_ERROR_DETAILS) errors.push(e);
  };

  const hash = createHash('sha256');
  let bytes = 0;
  const totalBytes = typeof opts.input === 'string' ? fs.statSync(opts.input).size : undefined;
  const source =
    typeof opts.input === 'string'
      ? fs.createReadStream(opts.input)
      : opts.input instanceof Readable
        ? opts.input
        : Readable.from(readChunks(opts.input as WebReadableStream<Uint8Array>));
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const tapped = source.pipe(tap);
  source.on('error', (e: Error) => tap.destroy(e));
  /** Reads the rest of the input so the sha256 covers the whole file even when we stop early. */
  const drain = async () => {
    for await (const _ of tapped);
  };

  opts.onProgress?.({ phase: 'read', rows: 0, bytes: 0, totalBytes });
  // The catalogue follows the enabled plugins (a change is counted by the Indicator table's trigger).
  if (opts.services?.length) await syncIndicatorCatalogue(db.prisma, opts.services);
  let format = opts.format;
  const finish = (partial: Omit<ImportReport, 'format' | 'fileName' | 'sha256' | 'startedAt' | 'finishedAt'>) =>
    record(
      db,
      {
        ...partial,
        format: opts.format.name,
        fileName,
        sha256: digestOf(hash),
        startedAt,
        finishedAt: new Date(),
        errors: [...partial.errors].sort((a, b) => a.line - b.line),
      },
      opts.ranBy,
    );
  const empty = { importId: null, dryRun, rows: 0, skipped: 0, inserted: 0, updated: 0, unchanged: 0, created: {} };

  // Options first: a format configured by a mapping file cannot know its columns before.
  if (format.options?.length || format.configure) {
    const options = opts.options ?? {};
    for (const o of format.options ?? []) {
      if (o.required && !options[o.name]) {
        addError({
          line: 0,
          column: o.name,
          value: '',
          message: `${format.name} needs the option ${o.name}: ${o.description}`,
        });
      }
    }
    if (!errorCount && format.configure) {
      try {
        format = await format.configure(options, db.prisma);
      } catch (e) {
        if (!(e instanceof ImportOptionError)) throw e;
        addError({ line: 0, column: e.option, value: '', message: e.message });
      }
    }
    if (errorCount) {
      await drain();
      return finish({ ...empty, status: 'FAILED', errors, errorCount, message: errors[0].message });
    }
  }

  const parser = tapped.pipe(
    new LineParser({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
  );
  tapped.on('error', (e) => parser.destroy(e));

  // Validated rows and their lines, side by side (no wrapper object per row while the file is read).
  const rows: unknown[] = [];
  const rowLines: number[] = [];
  const keys = new Map<string, number>();
  const references = (format.references ?? []).map((r) => ({
    spec: r,
    values: new Map<string, number[]>(),
    inFile: new Set<string>(),
  }));
  let header: string[] | null = null;
  let dataRows = 0;
  let skipped = 0;
  let drift = 0; // csv-parse counts a CRLF inside quotes as two lines: keep our line numbers physical
  let stopped = false;

  try {
    // Records come in the batches csv-parse made of each chunk of the file, handled without an await each.
    read: for await (const batch of recordBatches(parser)) {
      for (const { record, lines } of batch) {
        let newlines = 0;
        if (record.some(hasLineBreak)) {
          newlines = record.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
          drift += record.reduce((n, f) => n + (f.match(/\r\n/g)?.length ?? 0), 0);
        }
        const line = lines - drift - newlines;
        if (!header) {
          header = record;
          if (!checkHeader(format, header, addError)) {
            stopped = true;
            break read;
          }
          continue;
        }
        dataRows++;
        if (dataRows % PROGRESS_EVERY === 0) opts.onProgress?.({ phase: 'read', rows: dataRows, bytes, totalBytes });
        if (record.length !== header.length) {
          addError({
            line,
            column: '',
            value: record.join(','),
            message: `expected ${header.length} fields as in the header, found ${record.length}`,
          });
          continue;
        }
        const cells: Record<string, string> = {};
        for (let i = 0; i < header.length; i++) cells[header[i]] = record[i];
        if (format.skip?.(cells)) {
          skipped++;
          continue;
        }
        for (const r of references) {
          const v = cells[r.spec.column]?.trim();
          if (v) {
            const lines = r.values.get(v);
            if (lines) lines.push(line);
            else r.values.set(v, [line]);
          }
          const own = r.spec.alsoInFileColumn ? cells[r.spec.alsoInFileColumn]?.trim() : undefined;
          if (own) r.inFile.add(own);
        }
        const parsed = format.row.safeParse(cells);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const column = String(issue.path[0] ?? '');
            addError({ line, column, value: cells[column] ?? '', message: issue.message });
          }
          continue;
        }
        const key = format.key(parsed.data);
        const first = keys.get(key);
        if (first !== undefined) {
          const keyColumns = format.keyColumns ?? [];
          addError({
            line,
            column: keyColumns.join(','),
            value: keyColumns.map((c) => cells[c]).join(',') || key,
            message: `duplicate key: line ${first} has the same ${keyColumns.join(', ') || 'key'}; each key may appear once per file`,
          });
          continue;
        }
        keys.set(key, line);
        // Once a row is refused nothing will be written: keep checking, stop keeping.
        if (!errorCount) {
          rows.push(parsed.data);
          rowLines.push(line);
        }
      }
    }
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const info = e as CsvError & { lines?: number };
    addError({ line: info.lines ?? 0, column: '', value: '', message: `the file is not valid CSV: ${e.message}` });
    stopped = true;
  }
  if (stopped) await drain().catch(() => {});
  if (!header && !errorCount) {
    addError({
      line: 1,
      column: '',
      value: '',
      message: 'the file is empty: expected a header row naming the columns',
    });
  }
  opts.onProgress?.({ phase: 'read', rows: dataRows, bytes, totalBytes });

  if (!stopped && header) {
    opts.onProgress?.({ phase: 'check', rows: dataRows });
    for (const r of references) {
      for (const value of r.inFile) r.values.delete(value);
      const unknown = await missingValues(db.prisma, r.spec.table, r.spec.tableColumn, [...r.values.keys()]);
      for (const value of unknown) {
        for (const line of r.values.get(value) ?? []) {
          addError({
            line,
            column: r.spec.column,
            value,
            message: `unknown ${r.spec.column}: no ${r.spec.table} has ${r.spec.tableColumn} "${value}"${r.spec.alsoInFileColumn ? ` and no row of this file has ${r.spec.alsoInFileColumn} "${value}"` : ''}`,
          });
        }
      }
    }
    if (!errorCount && format.check) {
      const parsedRows: ParsedRow<unknown>[] = rows.map((row, i) => ({ line: rowLines[i], row }));
      for (const e of await format.check(db.prisma, parsedRows)) addError(e);
    }
  }

  const counted = { rows: dataRows, skipped };
  if (errorCount) {
    return finish({
      ...empty,
      ...counted,
      status: 'FAILED',
      errors,
      errorCount,
      message: `${errorCount} error${errorCount === 1 ? '' : 's'}; nothing written`,
    });
  }

  const ordered = format.order ? [...rows].sort(format.order) : rows;
  let counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
  let importId: number | null = null;
  try {
    await db.prisma.$transaction(
      async (tx) => {
        for (let i = 0; i < ordered.length; i += WRITE_BATCH) {
          opts.onProgress?.({ phase: 'write', rows: i, total: ordered.length });
          counts = addCounts(counts, await format.write(tx, ordered.slice(i, i + WRITE_BATCH)));
        }
        opts.onProgress?.({ phase: 'write', rows: ordered.length, total: ordered.length });
        if (dryRun) throw new DryRunRollback(counts);
        // Committed with the data, so a run killed before the commit leaves no trace at all.
        importId = (
          await tx.import.create({
            data: importData(
              { ...counts, ...counted, errorCount: 0 },
              'SUCCEEDED',
              false,
              opts,
              fileName,
              startedAt,
              hash,
            ),
          })
        ).id;
      },
      { timeout: IMPORT_TRANSACTION_TIMEOUT_MS, maxWait: 60_000 },
    );
  } catch (e) {
    if (!(e instanceof DryRunRollback)) {
      addError({
        line: 0,
        column: '',
        value: '',
        message: `the database refused the write, nothing was written: ${(e as Error).message}`,
      });
      return finish({ ...empty, ...counted, status: 'FAILED', errors, errorCount, message: errors[0].message });
    }
  }
  const result = { ...counts, ...counted, created: counts.created ?? {}, errors, errorCount, dryRun };
  if (importId === null) {
    return finish({ ...result, importId, status: 'DRY_RUN', message: summary(counts, true) });
  }
  return {
    ...result,
    importId,
    status: 'SUCCEEDED',
    format: opts.format.name,
    fileName,
    sha256: digestOf(hash),
    startedAt,
    finishedAt: new Date(),
    message: summary(counts, false),
  };
}

// A Hash can be digested once: remember it so the Import row and the report agree.
const digests = new WeakMap<ReturnType<typeof createHash>, string>();
function digestOf(hash: ReturnType<typeof createHash>): string {
  let d = digests.get(hash);
  if (!d) {
    d = hash.digest('hex');
    digests.set(hash, d);
  }
  return d;
}

function summary(c: WriteCounts, dryRun: boolean): string {
  const created = Object.entries(c.created ?? {})
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${n} ${table}`);
  return (
    `${dryRun ? 'dry run, nothing written: would insert' : 'inserted'} ${c.inserted}, ${dryRun ? 'update' : 'updated'} ${c.updated}, unchanged ${c.unchanged}` +
    (created.length ? `; ${dryRun ? 'would create' : 'created'} ${created.join(', ')}` : '')
  );
}

function importData(
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
  opts: RunImportOptions,
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
async function record(
  db: Database,
  report: Omit<ImportReport, 'importId'> & { importId: number | null },
  ranBy: string,
) {
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

/** Header problems are reported before any row is read; returns false when there are any. */
function checkHeader(format: ImportFormat, header: string[], addError: (e: RowError) => void): boolean {
  let ok = true;
  const known = new Set(format.columns.map((c) => c.name));
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (seen.has(name)) {
      addError({ line: 1, column: name, value: name, message: `column ${name} appears twice in the header` });
      ok = false;
    }
    seen.add(name);
    if (!known.has(name) && !format.allowExtraColumns) {
      addError({
        line: 1,
        column: name,
        value: name,
        message: `unknown column "${name}" (field ${i + 1}): ${format.name} has the columns ${format.columns.map((c) => c.name).join(',')}`,
      });
      ok = false;
    }
  });
  for (const c of format.columns) {
    if (c.required && !seen.has(c.name)) {
      addError({
        line: 1,
        column: c.name,
        value: '',
        message: `missing column ${c.name} (${c.type}): ${c.description}`,
      });
      ok = false;
    }
  }
  return ok;
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

/** Any web ReadableStream (Node's, or the ponyfill Yoga hands an uploaded File's stream() as), chunk by chunk. */
async function* readChunks(stream: WebReadableStream<Uint8Array>): AsyncGenerator<Buffer> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield Buffer.from(value);
    }
  } finally {
    reader.releaseLock();
  }
}
