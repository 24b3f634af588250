// The read phase of an import: the streaming parse, the header check, per-row validation with the format's
// zod schema, duplicate keys, and the reference values collected for the check phase. Every problem is a
// RowError with its line and column; once any row is refused, rows are still checked but no longer kept.
import { CsvError, Parser } from 'csv-parse';
import type { OpenedInput } from './input.js';
import { formatCount, IMPORT_LIMIT_VARIABLES, type ImportLimits } from './limits.js';
import type { RowErrors } from './row-errors.js';
import type { ImportFormat, ReferenceSpec, RowError } from './types.js';

const PROGRESS_EVERY = 2_000;

/** A reference column's values and the lines they are on, and the values the file itself provides. */
export interface CollectedReference {
  spec: ReferenceSpec;
  values: Map<string, number[]>;
  inFile: Set<string>;
}

export interface ReadResult {
  header: string[] | null;
  /** Validated rows and their lines, side by side (no wrapper object per row while the file is read). */
  rows: unknown[];
  rowLines: number[];
  references: CollectedReference[];
  /** Data rows in the file (header excluded). */
  dataRows: number;
  skipped: number;
  /** Reading stopped before the end (a bad header, invalid CSV): the rest was drained, not checked. */
  stopped: boolean;
}

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

export async function readRows(
  format: ImportFormat,
  input: OpenedInput,
  errors: RowErrors,
  limits: ImportLimits,
  onProgress?: (p: { phase: 'read'; rows: number; bytes: number; totalBytes?: number }) => void,
): Promise<ReadResult> {
  const parser = input.stream.pipe(
    new LineParser({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      // Bounds what the parser holds for one record, and so the fields of a header it splits.
      max_record_size: limits.maxLineChars,
    }),
  );
  input.stream.on('error', (e) => parser.destroy(e));
  const progress = (rows: number) =>
    onProgress?.({ phase: 'read', rows, bytes: input.bytes(), totalBytes: input.totalBytes });

  const out: ReadResult = {
    header: null,
    rows: [],
    rowLines: [],
    references: (format.references ?? []).map((spec) => ({ spec, values: new Map(), inFile: new Set() })),
    dataRows: 0,
    skipped: 0,
    stopped: false,
  };
  const keys = new Map<string, number>();
  let fieldLimits: number[] = [];
  let drift = 0; // csv-parse counts a CRLF inside quotes as two lines: keep our line numbers physical

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
        if (!out.header) {
          out.header = record;
          // Counted before anything is built per column (a set of names, an error each).
          if (record.length > limits.maxColumns) {
            errors.add({
              line,
              column: '',
              value: record.slice(0, 5).join(','),
              message: `the header has ${formatCount(record.length)} columns, over the limit of ${formatCount(limits.maxColumns)} (${IMPORT_LIMIT_VARIABLES.maxColumns})`,
            });
            out.stopped = true;
            break read;
          }
          if (!checkHeader(format, record, (e) => errors.add(e))) {
            out.stopped = true;
            break read;
          }
          const declared = new Map(format.columns.map((c) => [c.name, c.maxLength]));
          fieldLimits = record.map((name) => declared.get(name) ?? limits.maxFieldChars);
          continue;
        }
        out.dataRows++;
        if (out.dataRows % PROGRESS_EVERY === 0) progress(out.dataRows);
        readRecord(format, out, keys, record, line, errors, fieldLimits);
      }
    }
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const info = e as CsvError & { lines?: number };
    const line = (info.lines ?? 0) - drift;
    errors.add(
      e.code === 'CSV_MAX_RECORD_SIZE'
        ? {
            line,
            column: '',
            value: '',
            message: `line ${line} is longer than the limit of ${formatCount(limits.maxLineChars)} characters (${IMPORT_LIMIT_VARIABLES.maxLineChars})`,
          }
        : { line, column: '', value: '', message: `the file is not valid CSV: ${e.message}` },
    );
    out.stopped = true;
  }
  if (out.stopped) await input.drain().catch(() => {});
  if (!out.header && !errors.count) {
    errors.add({
      line: 1,
      column: '',
      value: '',
      message: 'the file is empty: expected a header row naming the columns',
    });
  }
  progress(out.dataRows);
  return out;
}

/** One data record: field count, skip, references, validation, duplicate key; kept while there is no error. */
function readRecord(
  format: ImportFormat,
  out: ReadResult,
  keys: Map<string, number>,
  record: string[],
  line: number,
  errors: RowErrors,
  fieldLimits: number[],
): void {
  const header = out.header as string[];
  if (record.length !== header.length) {
    errors.add({
      line,
      column: '',
      value: record.slice(0, 20).join(','),
      message: `expected ${header.length} fields as in the header, found ${record.length}`,
    });
    return;
  }
  let refused = false;
  for (let i = 0; i < header.length; i++) {
    if (record[i].includes('\0')) {
      // No text column can store it: PostgreSQL refuses U+0000 in text.
      errors.add({
        line,
        column: header[i],
        value: record[i].replaceAll('\0', '\\0'),
        message: `${header[i]} contains a NUL character (U+0000)`,
      });
      refused = true;
    } else if (record[i].length > fieldLimits[i]) {
      errors.add({
        line,
        column: header[i],
        value: record[i],
        message: `value too long for ${header[i]}: ${formatCount(record[i].length)} characters, at most ${formatCount(fieldLimits[i])}${fieldLimits[i] === format.columns.find((c) => c.name === header[i])?.maxLength ? '' : ` (${IMPORT_LIMIT_VARIABLES.maxFieldChars})`}`,
      });
      refused = true;
    }
  }
  if (refused) return;
  const cells: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) cells[header[i]] = record[i];
  if (format.skip?.(cells)) {
    out.skipped++;
    return;
  }
  for (const r of out.references) {
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
      errors.add({ line, column, value: cells[column] ?? '', message: issue.message });
    }
    return;
  }
  const key = format.key(parsed.data);
  const first = keys.get(key);
  if (first !== undefined) {
    const keyColumns = format.keyColumns ?? [];
    errors.add({
      line,
      column: keyColumns.join(','),
      value: keyColumns.map((c) => cells[c]).join(',') || key,
      message: `duplicate key: line ${first} has the same ${keyColumns.join(', ') || 'key'}; each key may appear once per file`,
    });
    return;
  }
  keys.set(key, line);
  // Once a row is refused nothing will be written: keep checking, stop keeping.
  if (!errors.count) {
    out.rows.push(parsed.data);
    out.rowLines.push(line);
  }
}

/** Header problems are reported before any row is read; returns false when there are any. */
export function checkHeader(format: ImportFormat, header: string[], addError: (e: RowError) => void): boolean {
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
