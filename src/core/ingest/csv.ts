// Writing CSV cells: RFC 4180 quoting, and OWASP's rule against CSV (formula) injection, for every CSV the
// project writes. A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` as a formula (and a tab or
// carriage return can hide such a start), so such a cell is written with a single quote before it, which
// spreadsheets show as text. Plain numbers are left alone, so `-1.5` stays a number: a cell that is
// entirely a decimal number (optional sign, digits, optional fraction and exponent) cannot be a formula.

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as written: a formula-like start neutralised (a plain number is not), then quoted if needed. */
export function csvCell(v: string): string {
  const safe = FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line (without its line end). */
export const csvLine = (cells: string[]) => cells.map(csvCell).join(',');
