// The import-format contract between service plugins and the ingestion framework (src/core/ingest).
// A format says what its columns are and how to validate and write rows; the framework does the rest:
// streaming parse, header checks, line/column errors, reference checks, one transaction, idempotent
// upserts on natural keys, dry runs, progress, provenance (Import rows).
import type { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client.js';

export interface ColumnSpec {
  /** CSV header, exactly. */
  name: string;
  /** Human description of the expected type, shown in `--help` and errors: "date YYYY-MM-DD", "one of F|M|U". */
  type: string;
  required: boolean;
  description: string;
  /** Longest value accepted, in characters (default: the import's field limit, CYPE_IMPORT_MAX_FIELD_CHARS). */
  maxLength?: number;
}

/** A reference a column must satisfy: the value must exist in `table`.`column` (checked in one query per file). */
export interface ReferenceSpec {
  column: string;
  table: string;
  tableColumn: string;
  /** Values of this other column of the same file satisfy the reference too (an area's parent listed in the file). */
  alsoInFileColumn?: string;
}

/** One problem with a file: where it is (line 1 = header; 0 = the file or its options) and what was expected. */
export interface RowError {
  line: number;
  column: string;
  value: string;
  message: string;
}

/** A validated row with the line it came from (for checks that look across rows or at the database). */
export interface ParsedRow<Row> {
  line: number;
  row: Row;
}

/** An option a format takes besides the file (e.g. `map` for `core/ees`): CLI `--<name> <file>`, GraphQL argument. */
export interface ImportOptionSpec {
  name: string;
  description: string;
  required: boolean;
}

export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of other tables created on the way (periods, areas), by table: reported, not counted above. */
  created?: Record<string, number>;
}

export interface ImportFormat<Row = unknown> {
  /** `<owner>/<name>`, e.g. `core/people`, `early-years/eyfs-results`. */
  name: string;
  description: string;
  columns: ColumnSpec[];
  /** One example data row, by column name (shown in `--help`). */
  example: Record<string, string>;
  /**
   * Validates one CSV record (all values are strings; empty string = blank) into a typed row. Zod issue
   * paths name the column; the framework adds the line number and the bad value.
   */
  row: z.ZodType<Row>;
  references?: ReferenceSpec[];
  /** Natural key: two rows with the same key in one file are an error; re-imports update by it. */
  key(row: Row): string;
  /** The columns that make up the key (named in duplicate-key errors). */
  keyColumns?: string[];
  /** Write order when it matters across batches (parents before children); default: file order. */
  order?(a: Row, b: Row): number;
  /**
   * Writes a batch inside the import's transaction, upserting on the natural key, and reports what
   * changed (an identical existing row counts as unchanged).
   */
  write(tx: Prisma.TransactionClient, rows: Row[]): Promise<WriteCounts>;
  /** Tables the format writes: after an import, the stored figures reading them are computed again. */
  tables: string[];
  /** Columns not in `columns` are ignored instead of being errors (published files with many columns). */
  allowExtraColumns?: boolean;
  /** Records left out on purpose (counted as skipped, not validated, not keyed). */
  skip?(record: Record<string, string>): boolean;
  /**
   * Checks across rows or against the database beyond `references` (e.g. a second unique key), run after
   * validation and before writing; any error stops the import.
   */
  check?(db: Prisma.TransactionClient, rows: ParsedRow<Row>[]): Promise<RowError[]>;
  /** Options besides the file; when present the framework calls `configure` with their values first. */
  options?: ImportOptionSpec[];
  /**
   * Returns the format configured by its options (e.g. columns and row schema from a mapping file). Throw
   * an ImportOptionError (src/core/ingest) for a bad option.
   */
  configure?(options: Record<string, string>, db: Prisma.TransactionClient): Promise<ImportFormat<Row>>;
}
