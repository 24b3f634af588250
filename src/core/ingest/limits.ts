// Limits on what an import reads, so that no file can exhaust the process: a line's length bounds what the
// parser holds at once (and so the columns of a header), the header's columns are counted before any object
// is built from them, and each field's length is checked before validation and long before the database.
// Each is reported as a line/column error naming the limit. Defaults here, overrides from the environment.

export interface ImportLimits {
  /** Columns in the header (CYPE_IMPORT_MAX_COLUMNS). */
  maxColumns: number;
  /** Characters in one line, or one record when a quoted field spans lines (CYPE_IMPORT_MAX_LINE_CHARS). */
  maxLineChars: number;
  /** Characters in one field, for columns that do not declare their own `maxLength` (CYPE_IMPORT_MAX_FIELD_CHARS). */
  maxFieldChars: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxColumns: 2_000,
  maxLineChars: 1_048_576,
  maxFieldChars: 1_000,
};

/** The environment variable that sets each limit (named in the errors). */
export const IMPORT_LIMIT_VARIABLES: Record<keyof ImportLimits, string> = {
  maxColumns: 'CYPE_IMPORT_MAX_COLUMNS',
  maxLineChars: 'CYPE_IMPORT_MAX_LINE_CHARS',
  maxFieldChars: 'CYPE_IMPORT_MAX_FIELD_CHARS',
};

/** Overrides of DEFAULT_IMPORT_LIMITS from the environment; throws naming a variable that is not a whole number ≥ 1. */
export function importLimitsFromEnv(env: Record<string, string | undefined> = process.env): Partial<ImportLimits> {
  const out: Partial<ImportLimits> = {};
  for (const [key, name] of Object.entries(IMPORT_LIMIT_VARIABLES) as [keyof ImportLimits, string][]) {
    const v = env[name]?.trim();
    if (!v) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number, at least 1; got "${v}"`);
    out[key] = n;
  }
  return out;
}

export const formatCount = (n: number) => n.toLocaleString('en-GB');
