// Checks on a whole file that several services' formats share (a format's `check`, run after the
// reference checks, so every code named here is already known to exist).
import type { Tx } from '../../db.js';
import { arrayLiteral } from '../bulk.js';
import type { ParsedRow, RowError } from './types.js';

/**
 * District codes must name districts: a local authority's figures are the sum over its districts, so a row
 * kept at LA (or national) level would be counted twice. One query for the file; errors on `district_code`.
 */
export async function districtLevelErrors<Row extends { districtCode: string }>(
  db: Tx,
  rows: ParsedRow<Row>[],
): Promise<RowError[]> {
  const codes = [...new Set(rows.map((r) => r.row.districtCode))];
  if (!codes.length) return [];
  const found = await db.$queryRawUnsafe<{ code: string; level: string }[]>(
    'SELECT code, level::text AS level FROM "Area" WHERE code = ANY($1::text::text[])',
    arrayLiteral(codes),
  );
  const wrong = new Map(found.filter((a) => a.level !== 'DISTRICT').map((a) => [a.code, a.level]));
  return rows
    .filter((r) => wrong.has(r.row.districtCode))
    .map((r) => ({
      line: r.line,
      column: 'district_code',
      value: r.row.districtCode,
      message: `${r.row.districtCode} is a ${wrong.get(r.row.districtCode)} area: expected a district (a LAD code such as E07000110); district_code must be a district, as the local authority's figures are the sum over its districts`,
    }));
}
