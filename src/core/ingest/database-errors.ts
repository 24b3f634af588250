// What a database error means for the person importing a file, in words: the SQLSTATE of a failed write
// (found on Prisma's error, its driver adapter's, or a cause) mapped to a sentence. Never the raw message,
// which quotes Prisma's call, the statement and internal names.

const PROBLEMS: Record<string, string> = {
  '54000': 'a value is too long for the database to index; shorten it',
  '22001': 'a value is too long for its column',
  '23505': 'a row has the same key as a row already stored',
  '23503': 'a value refers to a row that does not exist',
  '23502': 'a required value is missing',
  '23514': 'a value is outside what the store accepts',
  '22P02': 'a value is not of the type its column stores',
  '22003': 'a number is out of range for its column',
  '22007': 'a date or time is not valid',
  '22008': 'a date or time is out of range',
  '22021': 'a value is not valid text (UTF-8)',
  '57014': 'the write ran past a time limit and was cancelled',
  '40001': 'the write conflicted with another one; try again',
  '40P01': 'the write conflicted with another one; try again',
  '53100': 'the database is out of disk space',
  '53200': 'the database is out of memory',
};

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE anywhere on an error: its code, Prisma's meta, the driver adapter's cause, nested causes. */
export function sqlState(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== 'object' || depth > 5) return undefined;
  const o = e as Record<string, unknown>;
  for (const key of ['originalCode', 'code']) {
    const v = o[key];
    if (typeof v === 'string' && SQLSTATE.test(v) && !/^P\d{4}$/.test(v)) return v;
  }
  for (const key of ['meta', 'driverAdapterError', 'cause']) {
    const found = sqlState(o[key], depth + 1);
    if (found) return found;
  }
  // Prisma's raw-query error (P2010) carries the database's code in its text: `Code: `54000``.
  const text = typeof o.message === 'string' ? /Code: `([0-9A-Z]{5})`/.exec(o.message)?.[1] : undefined;
  return text;
}

/** A sentence for a failed write, naming the SQLSTATE when no sentence is known. */
export function databaseProblem(e: unknown): string {
  const code = sqlState(e);
  if (!code) return 'an unexpected database error; the server log has the details';
  return PROBLEMS[code] ?? `database error ${code}; the server log has the details`;
}
